using Rampart.Server.Cli;
using Rampart.Store;

namespace Rampart.Server.Security;

/// <summary>Opens <see cref="SecurityServices"/> for a CLI verb over the verb's data directory, store and configuration.</summary>
internal static class VerbSecurity
{
    public static async Task<(IMailStore Store, SecurityServices Security)> OpenAsync(VerbContext context, bool create, CancellationToken cancellationToken)
    {
        var store = await context.OpenStoreAsync(create, cancellationToken);
        return (store, Open(context, store, create));
    }

    public static SecurityServices Open(VerbContext context, IMailStore store, bool create = false)
    {
        var data = context.OpenData(create);
        var configuration = context.LoadConfiguration();
        SecuritySettings settings;
        try
        {
            settings = SecuritySettings.Bind(configuration);
            settings.Policy();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new CliException(ExitCodes.Config, $"invalid configuration: Security: {e.Message}");
        }

        try
        {
            return new SecurityServices(data, store, data.ReadOrCreateSecret(), settings);
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCodes.Config, $"invalid configuration: {e.Message}");
        }
    }

    /// <summary>Turns a policy refusal into the verb's failure: exit 65 with the reason.</summary>
    public static void ThrowIfRefused(Rampart.Security.Policy.PasswordPolicyResult result)
    {
        if (!result.IsAccepted)
        {
            throw new CliException(ExitCodes.DataError, $"password refused: {result.Message}");
        }
    }
}
