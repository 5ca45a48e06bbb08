namespace Rampart.Fuzz;

/// <summary>One parser fed with arbitrary bytes. A target returns normally for every input, accepted or refused;
/// any exception it lets out is a finding (AFL records it as a crash).</summary>
internal interface IFuzzTarget
{
    /// <summary>The name used on the command line and as the corpus folder (<c>fuzz/corpus/NAME</c>).</summary>
    string Name { get; }

    /// <summary>One line for <c>list</c> and the docs: what the target drives.</summary>
    string Summary { get; }

    /// <summary>Runs one input. Must not keep state between calls: AFL runs many inputs in one process.</summary>
    void Run(ReadOnlySpan<byte> input);
}
