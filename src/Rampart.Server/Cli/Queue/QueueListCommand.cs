using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rampart.Server.Cli.Queue;

/// <summary><c>rampart queue list [--json]</c>: every queued message — id, age, sender, attempts, next attempt, last
/// error — and each recipient with its status and last reply.</summary>
public static class QueueListCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Command Create(RampartCli cli)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var command = new Command("list", "List queued outbound mail") { json };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var envelopes = QueueCommand.Open(context).List();
            if (result.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(envelopes, Json));
                return ExitCodes.Ok;
            }

            if (envelopes.Count == 0)
            {
                await context.Output.WriteLineAsync("queue is empty");
                return ExitCodes.Ok;
            }

            var now = DateTimeOffset.UtcNow;
            foreach (var envelope in envelopes)
            {
                var sender = envelope.Sender.Length == 0 ? "<>" : envelope.Sender;
                await context.Output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{envelope.Id}  age {Age(now - envelope.Created)}  from {sender}  {envelope.Size} bytes  attempts {envelope.Attempts}  next {Time(envelope.NextAttempt)}"));
                if (envelope.LastError is { } error)
                {
                    await context.Output.WriteLineAsync($"  last error: {error}");
                }

                foreach (var recipient in envelope.Recipients)
                {
                    var status = recipient.Status.ToString().ToLowerInvariant();
                    await context.Output.WriteLineAsync($"  {recipient.Address}  {status}{(recipient.LastReply is { } reply ? "  " + reply : string.Empty)}");
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Age(TimeSpan age) => age.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays}d{age.Hours}h")
        : age.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours}h{age.Minutes}m")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes}m{age.Seconds}s");
}
