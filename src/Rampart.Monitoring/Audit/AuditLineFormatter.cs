using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Audit;

/// <summary>
/// Turns an event into one JSON line (UTF-8, no newline): <c>seq</c>, <c>time</c> (UTC, ms), <c>kind</c>,
/// <c>result</c>, the L01 fields that are set, the kind's own fields, and <c>prev</c> last. The default JSON
/// encoder escapes control characters (CR, LF, ESC as <c>\u001B</c>), quotes, <c>&lt;&gt;&amp;'</c> and every
/// non-ASCII character, so a hostile user name can neither break a line nor paint a terminal (SECURITY.md L02).
/// </summary>
public sealed class AuditLineFormatter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Default, Indented = false };
    private readonly SecretScrubber scrubber;
    private readonly ArrayBufferWriter<byte> buffer = new(1024);

    public AuditLineFormatter(SecretScrubber scrubber) => this.scrubber = scrubber;

    /// <summary>Formats an event. The returned memory is valid until the next call (one writer thread).</summary>
    public ReadOnlyMemory<byte> Format(SecurityEvent e, long seq, string prev) =>
        Format(seq, e.Time, SecurityEventKinds.Name(e.Kind), e.Result, prev, writer =>
        {
            WriteString(writer, "protocol", e.Protocol);
            WriteString(writer, "listener", e.Listener);
            if (e.Port is { } port)
            {
                writer.WriteNumber("port", port);
            }

            WriteString(writer, "session", e.SessionId);
            WriteString(writer, "ip", e.ClientIp?.ToString());
            WriteString(writer, "user", e.User);
            WriteString(writer, "mechanism", e.Mechanism);
            WriteString(writer, "tls", e.TlsVersion);
            WriteString(writer, "suite", e.TlsSuite);
            WriteString(writer, "reason", e.Reason);
            WriteSpecific(writer, e);
        });

    /// <summary>Formats a line of the log's own (suppression summaries, dropped counts, recovery notes).</summary>
    public ReadOnlyMemory<byte> Format(long seq, DateTimeOffset time, string kind, string result, string prev, Action<Utf8JsonWriter> fields)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", seq);
            writer.WriteString("time", FormatTime(time));
            writer.WriteString("kind", kind);
            writer.WriteString("result", result);
            fields(writer);
            writer.WriteString("prev", prev);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private void WriteSpecific(Utf8JsonWriter writer, SecurityEvent e)
    {
        switch (e)
        {
            case ConnectionClosed closed:
                writer.WriteNumber("bytesIn", closed.BytesIn);
                writer.WriteNumber("bytesOut", closed.BytesOut);
                writer.WriteNumber("seconds", Math.Round(closed.Duration.TotalSeconds, 3));
                break;
            case StartTlsInjection injection:
                writer.WriteNumber("discarded", injection.DiscardedBytes);
                break;
            case AuthenticationSucceeded success:
                WriteString(writer, "credential", success.Credential);
                break;
            case Banned banned:
                WriteString(writer, "network", banned.Network);
                WriteString(writer, "until", banned.Until is { } until ? FormatTime(until) : null);
                break;
            case Unbanned unbanned:
                WriteString(writer, "network", unbanned.Network);
                break;
            case Throttled throttled:
                writer.WriteNumber("delayMs", (long)throttled.Delay.TotalMilliseconds);
                break;
            case LockedOut locked:
                WriteString(writer, "until", locked.Until is { } lockedUntil ? FormatTime(lockedUntil) : null);
                break;
            case LimitHit limit:
                WriteString(writer, "limit", limit.Limit);
                break;
            case CredentialChanged credential:
                WriteString(writer, "credential", credential.Credential);
                WriteString(writer, "action", credential.Action);
                WriteString(writer, "label", credential.Label);
                WriteString(writer, "actor", credential.Actor);
                break;
            case AdminAction admin:
                WriteString(writer, "action", admin.Action);
                WriteString(writer, "target", admin.Target);
                WriteString(writer, "actor", admin.Actor);
                break;
            case ConfigurationChanged config:
                WriteString(writer, "setting", config.Setting);
                break;
            case ClientIdentified client:
                WriteString(writer, "clientId", client.ClientId);
                break;
            case DataTransferred transfer:
                writer.WriteNumber("bytesIn", transfer.BytesIn);
                writer.WriteNumber("bytesOut", transfer.BytesOut);
                break;
            case AlertRaised alert:
                WriteString(writer, "alert", alert.Alert);
                break;
            default:
                break;
        }
    }

    private void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        var clean = scrubber.Clean(value);
        if (clean is not null)
        {
            writer.WriteString(name, clean);
        }
    }
}
