using Rampart.Fuzz;

// The fuzz harness: one program, the target chosen by name. See docs/fuzzing.md.
//   Rampart.Fuzz list                              the targets
//   Rampart.Fuzz run TARGET                        under afl-fuzz (instrumented copies of the Rampart assemblies)
//   Rampart.Fuzz replay TARGET|all PATH...         every file (or every file in a folder) in-process, no AFL;
//                                                  with "all", each PATH is a corpus root holding a folder per target
return args switch
{
    ["list"] => Commands.List(),
    ["run", var name] => Commands.Run(name),
    ["replay", var name, .. var paths] when paths.Length > 0 => Commands.Replay(name, paths),
    _ => Commands.Usage(),
};
