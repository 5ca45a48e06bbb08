using System.Net;
using Rampart.Security.Credentials;

namespace Rampart.Security.Access;

/// <summary>Per-account access rules, kept as the account's <c>access-rules</c> secret and checked at authentication:
/// a right password from outside the account's ranges fails with the generic reply, the reason goes to the audit log (I02).</summary>
public sealed class AccountAccessRules
{
    private readonly IAccountSecrets _secrets;

    /// <summary>Creates the store over <paramref name="secrets"/>.</summary>
    public AccountAccessRules(IAccountSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets;
    }

    /// <summary>The account's rules (empty when it has none or the record is damaged: then nothing is restricted).</summary>
    public async ValueTask<AccessRuleSet> LoadAsync(string accountName, CancellationToken cancellationToken)
    {
        var text = await _secrets.GetAsync(accountName, SecretKinds.AccessRules, cancellationToken).ConfigureAwait(false);
        try
        {
            return AccessRuleSet.Parse(text);
        }
        catch (InvalidDataException)
        {
            // A damaged record must not open an account that was restricted: deny everything until an admin fixes it.
            return new AccessRuleSet([new AccessRule { Network = "0.0.0.0/0", Action = AccessAction.Deny }, new AccessRule { Network = "::/0", Action = AccessAction.Deny }]);
        }
    }

    /// <summary>Stores the account's rules.</summary>
    public ValueTask SaveAsync(string accountName, AccessRuleSet rules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return _secrets.SetAsync(accountName, SecretKinds.AccessRules, rules.Rules.Count == 0 ? null : rules.Serialize(), cancellationToken);
    }

    /// <summary>Evaluates the account's rules for a login.</summary>
    public async ValueTask<AccessDecision> EvaluateAsync(string accountName, IPAddress client, string protocol, CancellationToken cancellationToken) =>
        (await LoadAsync(accountName, cancellationToken).ConfigureAwait(false)).Evaluate(client, protocol);
}
