namespace Rampart.Net.Listeners;

/// <summary>A listener could not bind its endpoint; the message names the listener, the endpoint and a fix.</summary>
public sealed class ListenerException : Exception
{
    public ListenerException()
    {
    }

    public ListenerException(string message)
        : base(message)
    {
    }

    public ListenerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
