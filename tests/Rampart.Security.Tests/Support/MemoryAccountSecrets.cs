using System.Collections.Concurrent;
using Rampart.Security.Credentials;

namespace Rampart.Security.Tests.Support;

/// <summary>Per-account secrets in a dictionary, keyed by lower-cased account name and kind.</summary>
public sealed class MemoryAccountSecrets : IAccountSecrets
{
    private readonly ConcurrentDictionary<(string, string), string> _values = new();

    public ValueTask<string?> GetAsync(string accountName, string kind, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_values.GetValueOrDefault((accountName.ToLowerInvariant(), kind)));

    public ValueTask SetAsync(string accountName, string kind, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            _values.TryRemove((accountName.ToLowerInvariant(), kind), out _);
        }
        else
        {
            _values[(accountName.ToLowerInvariant(), kind)] = value;
        }

        return ValueTask.CompletedTask;
    }
}
