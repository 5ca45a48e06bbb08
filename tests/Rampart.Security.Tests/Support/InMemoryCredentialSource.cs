using Rampart.Security.Credentials;

namespace Rampart.Security.Tests.Support;

/// <summary>An <see cref="ICredentialSource"/> over a dictionary, matching names case-insensitively like the store does.</summary>
public sealed class InMemoryCredentialSource : ICredentialSource
{
    private readonly Dictionary<string, CredentialLookup> _accounts = new(StringComparer.OrdinalIgnoreCase);

    public int Lookups { get; private set; }

    public InMemoryCredentialSource Add(string name, PasswordCredential? password, bool enabled = true)
    {
        _accounts[name] = new CredentialLookup(name, enabled, password);
        return this;
    }

    public ValueTask<CredentialLookup?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        Lookups++;
        return ValueTask.FromResult(_accounts.GetValueOrDefault(userName));
    }
}
