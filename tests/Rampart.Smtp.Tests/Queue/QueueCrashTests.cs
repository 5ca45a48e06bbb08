using System.Globalization;
using Rampart.Smtp.Queue;

namespace Rampart.Smtp.Tests.Queue;

/// <summary><c>rampart serve</c> killed with SIGKILL while it retries queued mail to an unreachable MX, then started
/// again with the MX up: every message arrives, none twice.</summary>
public sealed class QueueCrashTests : IDisposable
{
    private const int MessageCount = 6;
    private readonly string data = Directory.CreateTempSubdirectory("rampart-queue-crash-").FullName;

    [Fact]
    public async Task After_SIGKILL_every_message_is_delivered_once()
    {
        int port;
        await using (var probe = SmtpSink.Start())
        {
            port = probe.Port;
        }

        await using var dns = await LoopbackDns.StartAsync(new DnsZone().Mx("example.test", "mx.example.test", 10).A("mx.example.test", "127.0.0.1"));
        var queue = new FileOutboundQueue(data);
        for (var i = 0; i < MessageCount; i++)
        {
            await queue.EnqueueAsync("sender@remote.test", [$"user{i}@example.test"], Message(i));
        }

        using (var first = Serve(port, dns))
        {
            first.WaitForLine(l => l.Contains("listening", StringComparison.Ordinal));

            // Let the worker fail a few times against the closed port, then kill it in the middle of its retries.
            await OutboundQueueTests.WaitUntilAsync(() => queue.List() is { Count: MessageCount } all && all.All(e => e.Attempts >= 2));
            first.Signal("KILL");
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(MessageCount, queue.List().Count);
        await using var sink = SmtpSink.Start(port);
        using var second = Serve(port, dns);
        await sink.WaitForMessageAsync(MessageCount, TimeSpan.FromSeconds(60));
        await OutboundQueueTests.WaitUntilAsync(() => queue.List().Count == 0);

        // Give a duplicate the chance to show up before counting.
        await Task.Delay(1000);
        var ids = sink.Messages.Select(m => m.Text.Split("\r\n").Single(l => l.StartsWith("Message-ID:", StringComparison.Ordinal))).ToList();
        Assert.Equal(MessageCount, ids.Count);
        Assert.Equal(MessageCount, ids.Distinct().Count());
    }

    [Fact]
    public async Task Queue_retry_makes_the_running_server_try_at_once()
    {
        int port;
        await using (var probe = SmtpSink.Start())
        {
            port = probe.Port;
        }

        var queue = new FileOutboundQueue(data);
        var id = await queue.EnqueueAsync("sender@remote.test", ["bob@[127.0.0.1]"], Message(1));
        using var server = Serve(port, dns: null, retry: "01:00:00");
        server.WaitForLine(l => l.Contains("listening", StringComparison.Ordinal));
        await OutboundQueueTests.WaitUntilAsync(() => queue.Read(id) is { Attempts: 1 });

        // The next attempt is an hour away; the MX comes up and the operator asks for a retry.
        await using var sink = SmtpSink.Start(port);
        var (code, _, error) = await RampartProcess.RunAsync("", "queue", "retry", id, "--data", data);
        Assert.True(code == 0, error);
        await sink.WaitForMessageAsync(1, TimeSpan.FromSeconds(30));
        await OutboundQueueTests.WaitUntilAsync(() => queue.Read(id) is null);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private RampartProcess Serve(int port, LoopbackDns? dns, string retry = "00:00:00.200") => RampartProcess.Start(["serve", "--data", data], new Dictionary<string, string>
    {
        ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__HostName"] = "localhost",
        ["RAMPART__Smtp__Dns__Servers__0"] = dns?.Endpoint.ToString() ?? "127.0.0.1:9",
        ["RAMPART__Smtp__Outbound__Port"] = port.ToString(CultureInfo.InvariantCulture),
        ["RAMPART__Smtp__Outbound__RetrySchedule"] = retry,
        ["RAMPART__Smtp__Outbound__RetryPollInterval"] = "00:00:00.100",
        ["RAMPART__Smtp__Outbound__ConnectTimeout"] = "00:00:05",
    });

    private static MemoryStream Message(int i) => new(System.Text.Encoding.ASCII.GetBytes(
        $"From: sender@remote.test\r\nTo: user{i}@example.test\r\nSubject: crash {i}\r\nMessage-ID: <crash-{i}@remote.test>\r\n\r\nbody {i}\r\n"));
}
