using System.CommandLine;
using System.Text.Json;
using Rampart.Server.Monitoring;

namespace Rampart.Server.Cli.Security;

/// <summary><c>rampart security audit [--json]</c>: the built-in self-check; one line per item (PASS/WARN/FAIL, the
/// finding, the risk and the fix); exit 1 when anything FAILs.</summary>
public static class SecurityCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(RampartCli cli)
    {
        var json = new Option<bool>("--json") { Description = "Print the checks as a JSON array" };
        var audit = new Command("audit", "Check the configuration and data directory against Rampart's security defaults") { json };
        audit.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var configuration = context.LoadConfiguration();
            var monitoring = MonitoringConfiguration.BindForServe(configuration);
            var (twoFactor, enabledAccounts) = await AccountsAsync(context, cancellationToken);
            var checks = SecuritySelfCheck.Run(configuration, monitoring, Path.GetFullPath(context.DataPath), DateTimeOffset.UtcNow, twoFactor, enabledAccounts);
            if (result.GetValue(json))
            {
                var items = checks.Select(c => new Dictionary<string, string>
                {
                    ["id"] = c.Id,
                    ["status"] = c.Status.ToString().ToUpperInvariant(),
                    ["finding"] = c.Finding,
                    ["risk"] = c.Risk,
                    ["fix"] = c.Fix,
                });
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(items, Indented));
            }
            else
            {
                foreach (var c in checks)
                {
                    var line = $"{c.Status.ToString().ToUpperInvariant(),-4}  {c.Id,-22}  {c.Finding}";
                    if (c.Status != CheckStatus.Pass)
                    {
                        line += $"{Environment.NewLine}      risk: {c.Risk}{Environment.NewLine}      fix:  {c.Fix}";
                    }

                    await context.Output.WriteLineAsync(line);
                }

                var (fail, warn) = (checks.Count(c => c.Status == CheckStatus.Fail), checks.Count(c => c.Status == CheckStatus.Warn));
                await context.Output.WriteLineAsync($"{checks.Count} checks: {checks.Count - fail - warn} pass, {warn} warn, {fail} fail");
            }

            return checks.Any(c => c.Status == CheckStatus.Fail) ? ExitCodes.Failure : ExitCodes.Ok;
        }));
        return new Command("security", "Security tools") { audit };
    }

    /// <summary>Which enabled accounts lack a second factor, and the enabled accounts' names; nulls when the data
    /// directory does not exist yet (the check must not create it).</summary>
    private static async Task<(TwoFactorCoverage? TwoFactor, IReadOnlyCollection<string>? Enabled)> AccountsAsync(VerbContext context, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(context.DataPath))
        {
            return (null, null);
        }

        var store = await context.OpenStoreAsync(create: false, cancellationToken);
        using var security = Rampart.Server.Security.VerbSecurity.Open(context, store);
        var accounts = (await store.ListAccountsAsync(cancellationToken)).Where(a => a.Enabled).ToList();
        var without = new List<string>();
        foreach (var account in accounts)
        {
            if (!await security.TwoFactor.IsEnabledAsync(account.Name, cancellationToken))
            {
                without.Add(account.Name);
            }
        }

        return (new TwoFactorCoverage(accounts.Count, without), accounts.Select(a => a.Name).ToList());
    }
}
