using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Rampart.Smtp.Queue;

/// <summary>Settings of the outbound queue and its SMTP client: <c>Smtp:Outbound:*</c> and <c>Smtp:Dns:Servers</c>.</summary>
public sealed class OutboundQueueOptions
{
    /// <summary>The name sent in EHLO (RFC 5321 §4.1.1.1); the server's host name by default.</summary>
    public string HeloName { get; set; } = "localhost";

    /// <summary>The remote port. Default 25 (RFC 5321 §4.5.4.2 … the SMTP port); tests point it at a loopback receiver.</summary>
    public int Port { get; set; } = 25;

    /// <summary>When true, a host that does not offer STARTTLS, or whose certificate does not validate for the MX name,
    /// is not used (the recipients wait and retry). Default false: opportunistic TLS (RFC 7435), as most mail on the
    /// Internet is delivered, and MTA-STS/DANE would make it strict per domain.</summary>
    public bool RequireTls { get; set; }

    /// <summary>When true, a host whose STARTTLS handshake fails is tried again in plaintext. Default false: a failed
    /// handshake may be an attacker in the path, and falling back would hand them the message.</summary>
    public bool PlaintextAfterTlsFailure { get; set; }

    /// <summary>How long a message is retried before it is given up and a DSN sent. Default 5 days (RFC 5321
    /// §4.5.4.1: "at least 4-5 days").</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long a message may wait before recipients whose RCPT said NOTIFY=…DELAY get one delay report
    /// (RFC 3461 §4.1, RFC 3464 Action: delayed). Default 4 hours: past the first few retries, when a sender would
    /// want to know, and long before <see cref="MaxAge"/> gives up.</summary>
    public TimeSpan DelayWarning { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The waits between attempts; the last one repeats. Default 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h
    /// (RFC 5321 §4.5.4.1 asks for at least 30 minutes between tries of one host once the first few fail).</summary>
    public IReadOnlyList<TimeSpan> RetrySchedule { get; set; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4)];

    /// <summary>How long to wait for a TCP connection. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for one reply. Default 5 min (RFC 5321 §4.5.3.2: greeting, MAIL, RCPT 5 minutes).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait for the reply to the final dot. Default 10 min (RFC 5321 §4.5.3.2.6).</summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Messages delivered at the same time. Default 8: enough to keep a small server's queue moving without
    /// opening hundreds of connections.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 8;

    /// <summary>Recipients per SMTP transaction. Default 100 (RFC 5321 §4.5.3.1.8: a server must accept at least 100).</summary>
    public int MaxRecipientsPerTransaction { get; set; } = 100;

    /// <summary>How often the worker looks for retry requests from <c>rampart queue retry</c>. Default 1 s.</summary>
    public TimeSpan RetryPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>DNS servers for MX and address lookups (<c>Smtp:Dns:Servers</c>, e.g. <c>127.0.0.1:5353</c>); empty
    /// uses the system's resolvers.</summary>
    public IReadOnlyList<IPEndPoint> DnsServers { get; set; } = [];

    /// <summary>Timeout of one DNS query. Default 5 s.</summary>
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether a local recipient over its quota is retried (as <c>Smtp:OverQuotaTemporary</c> answers 452 4.2.2
    /// at RCPT and after DATA) instead of failed at once with a DSN (5.2.2, RFC 3463 §3.3 "mailbox full"). Bound from
    /// <c>Smtp:OverQuotaTemporary</c>, so the queue and the listeners give one answer. Default false, as there.</summary>
    public bool OverQuotaTemporary { get; set; }

    /// <summary>MTA-STS and DANE (<see cref="Outbound.TransportSecurityOptions"/>).</summary>
    public Outbound.TransportSecurityOptions TransportSecurity { get; set; } = new();

    /// <summary>The wait before attempt number <paramref name="attempts"/> + 1.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        if (RetrySchedule.Count == 0)
        {
            return TimeSpan.FromMinutes(5);
        }

        return RetrySchedule[Math.Clamp(attempts - 1, 0, RetrySchedule.Count - 1)];
    }

    /// <summary>Binds <c>Smtp:Outbound</c> and <c>Smtp:Dns:Servers</c> from <paramref name="smtp"/> (the <c>Smtp</c> section).</summary>
    /// <exception cref="FormatException">A value is invalid; the message names the key.</exception>
    public static OutboundQueueOptions Bind(IConfiguration smtp, string hostName)
    {
        var options = new OutboundQueueOptions { HeloName = hostName };
        var outbound = smtp.GetSection("Outbound");
        options.HeloName = outbound["HeloName"] ?? hostName;
        options.Port = Int(outbound, "Port", options.Port, 1, 65535);
        options.RequireTls = Bool(outbound, "RequireTls", options.RequireTls);
        options.PlaintextAfterTlsFailure = Bool(outbound, "PlaintextAfterTlsFailure", options.PlaintextAfterTlsFailure);
        options.MaxAge = Span(outbound, "MaxAge", options.MaxAge);
        options.DelayWarning = Span(outbound, "DelayWarning", options.DelayWarning);
        options.ConnectTimeout = Span(outbound, "ConnectTimeout", options.ConnectTimeout);
        options.CommandTimeout = Span(outbound, "CommandTimeout", options.CommandTimeout);
        options.DataTimeout = Span(outbound, "DataTimeout", options.DataTimeout);
        options.RetryPollInterval = Span(outbound, "RetryPollInterval", options.RetryPollInterval);
        options.MaxConcurrentDeliveries = Int(outbound, "MaxConcurrentDeliveries", options.MaxConcurrentDeliveries, 1, 1000);
        options.MaxRecipientsPerTransaction = Int(outbound, "MaxRecipientsPerTransaction", options.MaxRecipientsPerTransaction, 1, 10000);
        options.OverQuotaTemporary = smtp["OverQuotaTemporary"] is { } overQuota
            ? bool.TryParse(overQuota, out var temporary) ? temporary : throw new FormatException($"Smtp:OverQuotaTemporary: '{overQuota}' is not true or false")
            : options.OverQuotaTemporary;
        var schedule = Values(outbound.GetSection("RetrySchedule"), outbound["RetrySchedule"]);
        if (schedule.Count > 0)
        {
            options.RetrySchedule = [.. schedule.Select(s => ParseSpan("Smtp:Outbound:RetrySchedule", s))];
        }

        var dns = smtp.GetSection("Dns");
        options.DnsTimeout = Span(dns, "Timeout", options.DnsTimeout);
        options.DnsServers = [.. Values(dns.GetSection("Servers"), dns["Servers"]).Select(ParseEndPoint)];
        options.TransportSecurity = Outbound.TransportSecurityOptions.Bind(smtp);
        return options;
    }

    /// <summary>Array items (<c>Servers:0</c>, <c>Servers:1</c>) or one comma-separated value.</summary>
    private static List<string> Values(IConfigurationSection section, string? single)
    {
        var items = section.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (items.Count == 0 && !string.IsNullOrWhiteSpace(single))
        {
            items = [.. single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return items;
    }

    private static IPEndPoint ParseEndPoint(string text)
    {
        if (IPEndPoint.TryParse(text, out var endPoint))
        {
            return endPoint.Port == 0 ? new IPEndPoint(endPoint.Address, 53) : endPoint;
        }

        throw new FormatException($"Smtp:Dns:Servers: '{text}' is not an IP address or address:port");
    }

    private static int Int(IConfiguration section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"Smtp:Outbound:{key}: '{text}' is not a number in {min}..{max}");
    }

    private static bool Bool(IConfiguration section, string key, bool fallback)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        return bool.TryParse(text, out var value) ? value : throw new FormatException($"Smtp:Outbound:{key}: '{text}' is not true or false");
    }

    private static TimeSpan Span(IConfiguration section, string key, TimeSpan fallback) =>
        section[key] is { } text ? ParseSpan(key, text) : fallback;

    private static TimeSpan ParseSpan(string key, string text) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new FormatException($"{key}: '{text}' is not a positive duration (e.g. 00:05:00)");
}
