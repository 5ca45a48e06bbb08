namespace Rampart.Pop3.Tests.Transcripts;

/// <summary>Where a transcript runs: sessions over in-memory pipes, or a real listener over TCP and TLS.</summary>
public interface ITranscriptServer : IAsyncDisposable
{
    Task<ITranscriptConnection> ConnectAsync();
}

/// <summary>The client end of one connection.</summary>
public interface ITranscriptConnection : IAsyncDisposable
{
    Task SendAsync(byte[] bytes);

    /// <summary>The next line without its CRLF, or null when the server closed the connection.</summary>
    Task<string?> ReadLineAsync();

    /// <summary>Runs the client side of STLS after the server's go-ahead.</summary>
    Task StartTlsAsync();

    /// <summary>Hangs up and waits until the server's session for this connection has ended.</summary>
    Task CloseAsync();
}
