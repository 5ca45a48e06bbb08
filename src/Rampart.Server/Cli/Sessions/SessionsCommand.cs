using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Rampart.Server.Monitoring;

namespace Rampart.Server.Cli.Sessions;

/// <summary><c>rampart sessions list [--user U]</c> and <c>rampart sessions kill ID | --user U</c>: the live sessions
/// of the server running on the data directory, through its control socket.</summary>
public static class SessionsCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("sessions", "List or end the live sessions of the running server");
        command.Subcommands.Add(CreateList(cli));
        command.Subcommands.Add(CreateKill(cli));
        return command;
    }

    private static Command CreateList(RampartCli cli)
    {
        var user = new Option<string?>("--user") { Description = "Only this account's sessions", HelpName = "U" };
        var list = new Command("list", "List sessions: id, protocol, address, since, TLS, user, bytes, client") { user };
        list.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var lines = await SendAsync(context, "LIST" + (result.GetValue(user) is { } u ? " " + u : string.Empty), cancellationToken);
            var sessions = lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            if (sessions.Count == 0)
            {
                await context.Output.WriteLineAsync("no sessions");
                return ExitCodes.Ok;
            }

            await context.Output.WriteLineAsync($"{"ID",-12}  {"PROTO",-5}  {"ADDRESS",-39}  {"SINCE",-20}  {"TLS",-5}  {"USER",-20}  {"IN",10}  {"OUT",12}  CLIENT");
            foreach (var s in sessions)
            {
                string Text(string name) => s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "-";
                long Number(string name) => s.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{Text("id"),-12}  {Text("protocol"),-5}  {Text("ip"),-39}  {Text("since"),-20}  {Text("tls"),-5}  {Printable(Text("user")),-20}  {Number("bytesIn"),10}  {Number("bytesOut"),12}  {Printable(Text("clientId"))}"));
            }

            return ExitCodes.Ok;
        }));
        return list;
    }

    private static Command CreateKill(RampartCli cli)
    {
        var id = new Argument<string?>("ID") { Description = "Session id from `sessions list`", Arity = ArgumentArity.ZeroOrOne };
        var user = new Option<string?>("--user") { Description = "End every session of this account", HelpName = "U" };
        var kill = new Command("kill", "End one session, or every session of an account") { id, user };
        kill.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var (session, account) = (result.GetValue(id), result.GetValue(user));
            if ((session is null) == (account is null))
            {
                throw new CliException(ExitCodes.Usage, "give either a session ID or --user U");
            }

            var request = session is not null ? "KILL " + session : "KILLUSER " + account;
            var lines = await SendAsync(context, request, cancellationToken);
            var count = int.Parse(lines[^1].AsSpan(3), CultureInfo.InvariantCulture);
            await context.Output.WriteLineAsync(session is not null
                ? $"session {session} ended"
                : string.Create(CultureInfo.InvariantCulture, $"{count} session(s) of {account} ended"));
            return ExitCodes.Ok;
        }));
        return kill;
    }

    private static async Task<IReadOnlyList<string>> SendAsync(VerbContext context, string request, CancellationToken cancellationToken)
    {
        var data = context.OpenData(create: false);
        IReadOnlyList<string> lines;
        try
        {
            lines = await ControlClient.SendAsync(data.Path, request, cancellationToken);
        }
        catch (IOException e)
        {
            throw new CliException(ExitCodes.Unavailable, e.Message);
        }

        var last = lines.Count > 0 ? lines[^1] : "ERR no answer";
        if (last.StartsWith("ERR ", StringComparison.Ordinal))
        {
            throw new CliException(last.Contains("no such session", StringComparison.Ordinal) ? ExitCodes.NoUser : ExitCodes.Failure, last[4..]);
        }

        if (!last.StartsWith("OK ", StringComparison.Ordinal))
        {
            throw new CliException(ExitCodes.Failure, "unexpected answer from the server: " + last);
        }

        return lines;
    }

    // The terminal is not the place for a client's escape sequences.
    private static string Printable(string value) => new([.. value.Where(c => !char.IsControl(c)).Take(60)]);
}
