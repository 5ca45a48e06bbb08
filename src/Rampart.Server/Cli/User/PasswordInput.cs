using Rampart.Server.Accounts;

namespace Rampart.Server.Cli.User;

/// <summary>Where a new password comes from: the first line of standard input, or a generated one.</summary>
internal static class PasswordInput
{
    public static string Read(VerbContext context, bool fromStdin, out bool generated)
    {
        generated = !fromStdin;
        if (!fromStdin)
        {
            return PasswordGenerator.Generate();
        }

        return context.ReadInputLine(maxBytes: 4096) is { Length: > 0 } line
            ? line
            : throw new CliException(ExitCodes.Usage, "--password-stdin: standard input is empty");
    }
}
