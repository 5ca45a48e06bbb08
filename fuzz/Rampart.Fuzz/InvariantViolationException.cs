namespace Rampart.Fuzz;

/// <summary>
/// Thrown by a target when the parser returned but broke a promise its documentation makes (a line longer than
/// the limit, offsets outside the message, a result that depends on how the bytes were split). It is never
/// caught: to AFL it is a crash like any other.
/// </summary>
internal sealed class InvariantViolationException : Exception
{
    public InvariantViolationException()
    {
    }

    public InvariantViolationException(string message)
        : base(message)
    {
    }

    public InvariantViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    public static void Check(bool condition, string promise)
    {
        if (!condition)
        {
            throw new InvariantViolationException(promise);
        }
    }
}
