using System.Net.Sockets;
using System.Text;

namespace Rampart.Server.Monitoring;

/// <summary>The CLI side of <see cref="ControlChannel"/>: sends one request to the running server and reads its
/// answer (at most <see cref="MaxResponseBytes"/>).</summary>
public static class ControlClient
{
    /// <summary>Largest answer read: 16 MiB, room for a list of tens of thousands of sessions.</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    /// <summary>Whether a server answers on <paramref name="path"/>.</summary>
    public static bool IsListening(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Tells a running server that a CLI verb changed <paramref name="setting"/> (bans, access rules), so that the change
    /// is in its audit log (SECURITY.md L03); the server also picks the change up from the files by itself. Without a
    /// running server there is no audit log to write to, and nothing is sent.
    /// </summary>
    /// <returns>True when a server took the notice.</returns>
    public static async Task<bool> NotifyChangedAsync(string dataDirectory, string setting, string detail, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(dataDirectory, ControlChannel.SocketFileName)))
        {
            return false;
        }

        try
        {
            var answer = await SendAsync(dataDirectory, $"CHANGED {setting} {detail}", cancellationToken);
            return answer.Count > 0 && answer[0].StartsWith("OK", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The change is made and stays made; only its audit line is missing (a stale socket file, a server stopping).
            return false;
        }
    }

    /// <summary>Tells a running server that <paramref name="network"/>'s ban was lifted, so it writes the <c>unban</c>
    /// audit event (issue 7); false when no server answered (nothing else to do: the ban file is already changed).</summary>
    public static async Task<bool> NotifyUnbannedAsync(string dataDirectory, System.Net.IPNetwork network, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(dataDirectory, ControlChannel.SocketFileName)))
        {
            return false;
        }

        try
        {
            var answer = await SendAsync(dataDirectory, $"UNBANNED {network}", cancellationToken);
            return answer.Count > 0 && answer[0].StartsWith("OK", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends <paramref name="request"/> and returns the answer's lines.</summary>
    /// <exception cref="IOException">No server is running on the data directory, or it did not answer.</exception>
    public static async Task<IReadOnlyList<string>> SendAsync(string dataDirectory, string request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = Path.Combine(dataDirectory, ControlChannel.SocketFileName);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
        }
        catch (SocketException e)
        {
            throw new IOException($"no running server on {dataDirectory} ({path}: {e.Message}); start it with `rampart serve --data {dataDirectory}`", e);
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.Replace("\n", " ", StringComparison.Ordinal) + "\n"), cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var answer = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        socket.Shutdown(SocketShutdown.Send);
        while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            if (answer.Length + read > MaxResponseBytes)
            {
                throw new IOException("the server's answer is too large");
            }

            answer.Write(buffer, 0, read);
        }

        var text = Encoding.UTF8.GetString(answer.ToArray());
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
