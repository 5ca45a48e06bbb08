using System.Net.Sockets;
using Rampart.Monitoring;
using Rampart.Monitoring.Audit;
using Rampart.Monitoring.Events;
using Rampart.Server.Cli;

namespace Rampart.Server.Monitoring;

/// <summary>
/// Puts a credential change made by the CLI (<c>user passwd</c>, <c>passwd</c>, <c>user 2fa enable|disable</c>,
/// <c>app-password create|revoke</c>) into the audit log (issue 7, SECURITY.md L03). With a server running, the line is
/// sent over the control socket and the server writes it, so its writer stays the only one appending to the chain;
/// with none, the CLI appends to the hash chain itself through <see cref="AuditLog"/>, which continues the chain from
/// the last line.
/// </summary>
public static class CliCredentialChange
{
    /// <summary>The credential names an audit line may carry.</summary>
    public static readonly IReadOnlySet<string> Credentials = new HashSet<string>(["password", "2fa", "app-password"], StringComparer.Ordinal);

    /// <summary>The actions an audit line may carry.</summary>
    public static readonly IReadOnlySet<string> Actions = new HashSet<string>(["changed", "enabled", "disabled", "created", "revoked"], StringComparer.Ordinal);

    /// <summary>Audits one change; never fails the verb (the change is made and stays made), but says on
    /// <paramref name="context"/>'s error stream when the line could not be written.</summary>
    public static async Task RecordAsync(VerbContext context, string user, string credential, string action, string? label, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = $"CREDENTIAL {user} {credential} {action}" + (string.IsNullOrEmpty(label) ? string.Empty : " " + label);
        if (!TryParse(request["CREDENTIAL ".Length..], out var change))
        {
            throw new ArgumentException("not an auditable credential change", nameof(credential));
        }

        if (File.Exists(Path.Combine(context.DataPath, ControlChannel.SocketFileName)))
        {
            try
            {
                var answer = await ControlClient.SendAsync(context.DataPath, request, cancellationToken);
                if (answer.Count > 0 && answer[0].StartsWith("OK", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // A stale socket file from a stopped server: no one else is writing, append below.
            }
        }

        MonitoringOptions options;
        try
        {
            options = MonitoringConfiguration.Bind(context.LoadConfiguration());
        }
        catch (CliException)
        {
            options = new MonitoringOptions();
        }

        if (!options.Enabled)
        {
            return;
        }

        try
        {
            await using var log = new AuditLog(MonitoringConfiguration.AuditDirectory(context.DataPath), options.Audit);
            log.Start();
            log.Raise(change);
            await log.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"rampart: warning: the change is made but its audit line was not written: {e.Message}");
        }
    }

    /// <summary>Reads <c>USER CREDENTIAL ACTION [LABEL]</c> (the control request's argument).</summary>
    public static bool TryParse(string argument, out CredentialChanged change)
    {
        ArgumentNullException.ThrowIfNull(argument);
        change = null!;
        var parts = argument.Split(' ', 4);
        if (parts.Length < 3 || parts[0].Length == 0 || !Credentials.Contains(parts[1]) || !Actions.Contains(parts[2]))
        {
            return false;
        }

        change = new CredentialChanged
        {
            Protocol = "cli",
            User = parts[0],
            Credential = parts[1],
            Action = parts[2],
            Label = parts.Length == 4 && parts[3].Length > 0 ? parts[3] : null,
            Actor = "cli",
        };
        return true;
    }
}
