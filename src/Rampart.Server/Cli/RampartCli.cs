using System.CommandLine;
using Rampart.Server.Cli.User;
using Rampart.Store;

namespace Rampart.Server.Cli;

/// <summary>The <c>rampart</c> command line: <c>serve</c> and the verbs that manage what it serves.</summary>
public sealed class RampartCli
{
    private readonly GlobalOptions globals = new();

    public RampartCli(TextWriter? output = null, TextWriter? error = null, Stream? input = null)
    {
        Output = output ?? Console.Out;
        Error = error ?? Console.Error;
        Input = input ?? Console.OpenStandardInput();
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>Standard input as bytes: <c>deliver</c> streams it, <c>--password-stdin</c> reads one line of it.</summary>
    public Stream Input { get; }

    /// <summary>Builds the command tree.</summary>
    public RootCommand Build()
    {
        var root = new RootCommand("Rampart: a mail server (IMAP, POP3, SMTP) that is secure by default.");
        root.Options.Add(globals.Data);
        root.Options.Add(globals.Config);
        root.Subcommands.Add(ServeCommand.Create(this));
        root.Subcommands.Add(UserCommand.Create(this));
        root.Subcommands.Add(DeliverCommand.Create(this));
        root.Subcommands.Add(ConfigCommand.Create(this));
        root.Subcommands.Add(PasswdCommand.Create(this));
        root.Subcommands.Add(Ban.BanCommand.Create(this));
        root.Subcommands.Add(Access.AccessCommand.Create(this));
        root.Subcommands.Add(AppPassword.AppPasswordCommand.Create(this));
        root.Subcommands.Add(Audit.AuditCommand.Create(this));
        root.Subcommands.Add(Security.SecurityCommand.Create(this));
        root.Subcommands.Add(Sessions.SessionsCommand.Create(this));
        root.Subcommands.Add(Dkim.DkimCommand.Create(this));
        root.Subcommands.Add(Domain.DomainCommand.Create(this));
        root.Subcommands.Add(Queue.QueueCommand.Create(this));
        return root;
    }

    /// <summary>How long a verb may take to finish after Ctrl-C or SIGTERM cancelled it before the process is ended
    /// anyway: longer than <c>serve</c>'s 10 s shutdown grace, so a stop drains its sessions and flushes the audit log
    /// instead of being cut off (the command line's own default, 2 s, ended a busy server with the signal's exit code).</summary>
    private static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(15);

    /// <summary>Parses and runs; returns the exit code.</summary>
    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration { Output = Output, Error = Error, ProcessTerminationTimeout = TerminationGrace };
        return Build().Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>Wraps a verb body: known failures become one line on stderr and their exit code; an unexpected
    /// failure is reported with its type so that a bug is visible, never a silent zero.</summary>
    internal Func<ParseResult, CancellationToken, Task<int>> Action(Func<VerbContext, ParseResult, CancellationToken, Task<int>> body) =>
        async (parseResult, cancellationToken) =>
        {
            await using var context = new VerbContext(parseResult, globals, Output, Error, Input);
            try
            {
                return await body(context, parseResult, cancellationToken);
            }
            catch (CliException e)
            {
                await Error.WriteLineAsync($"rampart: {e.Message}");
                return e.ExitCode;
            }
            catch (StoreException e)
            {
                await Error.WriteLineAsync($"rampart: {e.Message}");
                return e.Error switch
                {
                    StoreError.NotFound => ExitCodes.NoUser,
                    StoreError.OverQuota => ExitCodes.CannotCreate,
                    StoreError.TooBig => ExitCodes.DataError,
                    _ => ExitCodes.Failure,
                };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Error.WriteLineAsync("rampart: interrupted");
                return 130;
            }
        };
}
