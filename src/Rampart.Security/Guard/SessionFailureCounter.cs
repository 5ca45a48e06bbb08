namespace Rampart.Security.Guard;

/// <summary>
/// Counts failed logins in one session (SECURITY.md B01). The protocol calls <see cref="RecordFailure"/> after each
/// failure; when it returns true, the protocol sends its failure reply and closes the connection, so a fourth attempt
/// is never evaluated. Not thread-safe: one per session.
/// </summary>
public sealed class SessionFailureCounter
{
    /// <summary>The default limit: 3 failures per session.</summary>
    public const int DefaultLimit = 3;

    /// <summary>Creates a counter that trips at <paramref name="limit"/> failures.</summary>
    public SessionFailureCounter(int limit = DefaultLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
    }

    /// <summary>The number of failures that ends the session.</summary>
    public int Limit { get; }

    /// <summary>Failures so far.</summary>
    public int Failures { get; private set; }

    /// <summary>True once the session must end.</summary>
    public bool MustDisconnect => Failures >= Limit;

    /// <summary>Counts one failure; true when the session must now end (after its reply).</summary>
    public bool RecordFailure()
    {
        Failures++;
        return MustDisconnect;
    }
}
