using Microsoft.Extensions.Configuration;
using Rampart.Smtp.Outbound;
using Rampart.Smtp.Queue;

namespace Rampart.Smtp.Tests.Queue;

/// <summary>What a remote server sends is hostile input: limits on reply lines and reply length, and settings parsing.</summary>
public sealed class HostileServerTests
{
    [Fact]
    public async Task A_reply_line_over_the_limit_ends_the_connection_and_the_message_waits()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        sink.Greeting = "220 " + new string('x', SmtpClientConnection.MaxReplyLineLength + 10);
        fixture.Options.Port = sink.Port;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]"], QueueFixture.Message());
        using var worker = fixture.Worker();
        var envelope = await worker.AttemptAsync(id, CancellationToken.None);
        Assert.NotNull(envelope);
        Assert.Contains($"longer than {SmtpClientConnection.MaxReplyLineLength} octets", envelope.LastError, StringComparison.Ordinal);
        Assert.Empty(sink.Commands);
    }

    [Fact]
    public async Task A_reply_with_too_many_lines_ends_the_connection()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        sink.Greeting = string.Concat(Enumerable.Repeat("220-x\r\n", SmtpClientConnection.MaxReplyLines + 5)) + "220 ok";
        fixture.Options.Port = sink.Port;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]"], QueueFixture.Message());
        using var worker = fixture.Worker();
        var envelope = await worker.AttemptAsync(id, CancellationToken.None);
        Assert.NotNull(envelope);
        Assert.Contains($"longer than {SmtpClientConnection.MaxReplyLines} lines", envelope.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_reply_is_not_taken_for_a_greeting()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        sink.Greeting = "hello there";
        fixture.Options.Port = sink.Port;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]"], QueueFixture.Message());
        using var worker = fixture.Worker();
        var envelope = await worker.AttemptAsync(id, CancellationToken.None);
        Assert.NotNull(envelope);
        Assert.Contains("malformed reply line", envelope.LastError, StringComparison.Ordinal);
        Assert.Equal(RecipientStatus.Pending, envelope.Recipients[0].Status);
    }

    [Fact]
    public void Settings_bind_from_configuration_and_bad_values_name_their_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Smtp:Outbound:Port"] = "2525",
            ["Smtp:Outbound:RequireTls"] = "true",
            ["Smtp:Outbound:RetrySchedule"] = "00:00:10, 00:01:00",
            ["Smtp:Outbound:MaxAge"] = "2.00:00:00",
            ["Smtp:Dns:Servers:0"] = "127.0.0.1:5353",
            ["Smtp:Dns:Servers:1"] = "::1",
        }).Build();
        var options = OutboundQueueOptions.Bind(configuration.GetSection("Smtp"), "mx.example");
        Assert.Equal(2525, options.Port);
        Assert.True(options.RequireTls);
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)], options.RetrySchedule);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RetryDelay(5));
        Assert.Equal(TimeSpan.FromDays(2), options.MaxAge);
        Assert.Equal("mx.example", options.HeloName);
        Assert.Equal(["127.0.0.1:5353", "[::1]:53"], options.DnsServers.Select(e => e.ToString()));

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Smtp:Outbound:Port"] = "0" }).Build();
        Assert.Contains("Smtp:Outbound:Port", Assert.Throws<FormatException>(() => OutboundQueueOptions.Bind(bad.GetSection("Smtp"), "x")).Message, StringComparison.Ordinal);
    }
}
