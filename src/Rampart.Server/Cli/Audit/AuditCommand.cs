using System.CommandLine;
using System.Globalization;
using Rampart.Monitoring.Audit;
using Rampart.Server.Monitoring;

namespace Rampart.Server.Cli.Audit;

/// <summary><c>rampart audit verify</c>: checks the audit log's hash chain and names the first bad line.</summary>
public static class AuditCommand
{
    public static Command Create(RampartCli cli)
    {
        var verify = new Command("verify", "Check that no audit line was changed, removed or inserted (exit 1 naming the first bad line)");
        verify.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var data = context.OpenData(create: false);
            var directory = MonitoringConfiguration.AuditDirectory(data.Path);
            var verification = AuditVerifier.Verify(directory);
            if (!verification.Intact)
            {
                throw new CliException(ExitCodes.Failure, $"audit log damaged at {verification.FirstBad}: {verification.Message}");
            }

            await context.Output.WriteLineAsync(verification.Lines == 0
                ? $"audit log {directory}: no lines yet"
                : string.Create(CultureInfo.InvariantCulture, $"audit log intact: {verification.Lines} lines, seq 1..{verification.LastSeq}"));
            if (verification.Lines > 0 && verification.Message is { } note)
            {
                await context.Output.WriteLineAsync("note: " + note);
            }

            return ExitCodes.Ok;
        }));
        return new Command("audit", "Audit log tools") { verify };
    }
}
