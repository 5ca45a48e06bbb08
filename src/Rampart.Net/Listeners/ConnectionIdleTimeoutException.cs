namespace Rampart.Net.Listeners;

/// <summary>Thrown by <see cref="Connection.Input"/> reads when the client stayed silent past <see cref="Connection.IdleTimeout"/>.</summary>
public sealed class ConnectionIdleTimeoutException : TimeoutException
{
    public ConnectionIdleTimeoutException()
    {
    }

    public ConnectionIdleTimeoutException(string message)
        : base(message)
    {
    }

    public ConnectionIdleTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
