using System.Text.Json;
using Rampart.Smtp.Queue;

namespace Rampart.Smtp.Tests.Queue;

/// <summary><c>rampart queue list|retry|delete</c> run as the real executable over a real queue directory.</summary>
public sealed class QueueCliTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("rampart-queue-cli-").FullName;

    [Fact]
    public async Task List_shows_messages_and_recipients_in_text_and_JSON()
    {
        var queue = new FileOutboundQueue(data);
        var id = await queue.EnqueueAsync("alice@local.test", ["bob@example.test"], QueueFixture.Message());
        var empty = await queue.EnqueueAsync(string.Empty, ["eve@example.test"], QueueFixture.Message());

        var (code, output, error) = await RampartProcess.RunAsync("", "queue", "list", "--data", data);
        Assert.True(code == 0, error);
        Assert.Contains($"{id}  age ", output, StringComparison.Ordinal);
        Assert.Contains("from alice@local.test", output, StringComparison.Ordinal);
        Assert.Contains("from <>", output, StringComparison.Ordinal);
        Assert.Contains("  bob@example.test  pending", output, StringComparison.Ordinal);

        (code, output, _) = await RampartProcess.RunAsync("", "queue", "list", "--json", "--data", data);
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var first = json.RootElement[0];
        Assert.Equal(id, first.GetProperty("id").GetString());
        Assert.Equal("pending", first.GetProperty("recipients")[0].GetProperty("status").GetString());
        Assert.Equal(0, first.GetProperty("attempts").GetInt32());
        Assert.Equal(empty, json.RootElement[1].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Retry_and_delete()
    {
        var queue = new FileOutboundQueue(data);
        var a = await queue.EnqueueAsync("alice@local.test", ["bob@example.test"], QueueFixture.Message());
        var b = await queue.EnqueueAsync("alice@local.test", ["carol@example.test"], QueueFixture.Message());

        var (code, _, error) = await RampartProcess.RunAsync("", "queue", "retry", a, "--data", data);
        Assert.True(code == 0, error);
        Assert.Equal([a], queue.TakeRetryRequests());

        (code, _, _) = await RampartProcess.RunAsync("", "queue", "retry", "--all", "--data", data);
        Assert.Equal(0, code);
        Assert.Equal([a, b], queue.TakeRetryRequests().Order(StringComparer.Ordinal));

        (code, _, _) = await RampartProcess.RunAsync("", "queue", "retry", "--data", data);
        Assert.Equal(64, code);
        (code, _, _) = await RampartProcess.RunAsync("", "queue", "retry", "../../etc/passwd", "--data", data);
        Assert.Equal(64, code);

        (code, _, _) = await RampartProcess.RunAsync("", "queue", "delete", a, "--data", data);
        Assert.Equal(0, code);
        Assert.Equal([b], queue.List().Select(e => e.Id));
        (code, _, _) = await RampartProcess.RunAsync("", "queue", "delete", a, "--data", data);
        Assert.Equal(67, code);
    }

    public void Dispose() => Directory.Delete(data, recursive: true);
}
