using System.Net.Sockets;

namespace Rampart.Net.Listeners;

/// <summary>
/// The socket stream of an accepted connection that acknowledges received data at once on Linux (<c>TCP_QUICKACK</c>
/// after every read that returned data) instead of holding the ACK for the delayed-ACK timer (40 ms).
/// </summary>
/// <remarks>
/// A client that keeps Nagle's algorithm on (RFC 896; Python's imaplib, for one) and writes a request in two pieces,
/// an IMAP literal and then the CRLF that ends the command, may not send the second piece until the first is
/// acknowledged. The server answers nothing before that CRLF, so on an interactive connection the kernel delays the
/// ACK and every such APPEND waited about 40 ms: Python's imaplib appended 20 messages/s, against several hundred
/// with Nagle off (docs/benchmarks.md). The option is not sticky (the kernel returns to delayed ACKs by itself), so it
/// is set again after each read; elsewhere than Linux nothing is done.
/// </remarks>
internal sealed class QuickAckNetworkStream(Socket socket) : NetworkStream(socket, ownsSocket: false)
{
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12;

    private static readonly byte[] On = BitConverter.GetBytes(1);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        AcknowledgeNow(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void AcknowledgeNow(int read)
    {
        if (read <= 0 || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            Socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, On);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The connection is closing; the next read says so.
        }
    }
}
