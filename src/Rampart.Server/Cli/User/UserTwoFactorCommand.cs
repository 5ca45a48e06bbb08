using System.CommandLine;
using QRCoder;
using Rampart.Server.Security;

namespace Rampart.Server.Cli.User;

/// <summary><c>rampart user 2fa enable|disable|status NAME</c>: TOTP two factors (RFC 6238). <c>enable</c> prints the
/// otpauth URI and its QR code, reads one code from standard input to confirm, then prints ten recovery codes once.
/// With two factors on, IMAP, POP3 and SMTP take app passwords only (SECURITY.md "two factors").</summary>
public static class UserTwoFactorCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("2fa", "Two-factor authentication (TOTP) for an account");
        command.Subcommands.Add(CreateEnable(cli));
        command.Subcommands.Add(CreateDisable(cli));
        command.Subcommands.Add(CreateStatus(cli));
        return command;
    }

    private static Command CreateEnable(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var noQr = new Option<bool>("--no-qr") { Description = "Print the URI only" };
        var command = new Command("enable", "Enroll an authenticator app: scan the QR code, then type one code") { name, noQr };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var (store, security) = await VerbSecurity.OpenAsync(context, create: false, cancellationToken);
            using var _ = security;
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            Rampart.Security.TwoFactor.TotpEnrollment enrollment;
            try
            {
                enrollment = await security.TwoFactor.BeginEnrollmentAsync(account.Name, security.Settings.TwoFactorIssuer, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(ExitCodes.Failure, $"{account.Name}: {e.Message} (`rampart user 2fa disable {account.Name}` first)");
            }

            var output = context.Output;
            await output.WriteLineAsync("Add this account to an authenticator app:");
            await output.WriteLineAsync($"  {enrollment.Uri}");
            await output.WriteLineAsync($"  (or type the key by hand: {enrollment.Base32Seed})");
            if (!result.GetValue(noQr))
            {
                using var generator = new QRCodeGenerator();
                using var data = generator.CreateQrCode(enrollment.Uri, QRCodeGenerator.ECCLevel.M);
                await output.WriteLineAsync(new AsciiQRCode(data).GetGraphicSmall(drawQuietZones: true, invert: false, endOfLine: "\n"));
            }

            await output.WriteLineAsync("Then type the 6-digit code it shows:");
            var code = context.ReadInputLine(maxBytes: 64)?.Trim();
            if (string.IsNullOrEmpty(code))
            {
                throw new CliException(ExitCodes.Usage, "no code on standard input; two factors stay off");
            }

            var recovery = await security.TwoFactor.CompleteEnrollmentAsync(account.Name, code, cancellationToken)
                ?? throw new CliException(ExitCodes.DataError, "code refused (check the device's clock); two factors stay off, run the command again");
            await Monitoring.CliCredentialChange.RecordAsync(context, account.Name, "2fa", "enabled", label: null, cancellationToken);
            await output.WriteLineAsync($"two-factor authentication is on for {account.Name}: IMAP, POP3 and SMTP now take app passwords only (`rampart app-password create {account.Name} --label DEVICE`)");
            await output.WriteLineAsync("recovery codes (each works once; shown once, stored only as hashes):");
            foreach (var recoveryCode in recovery)
            {
                await output.WriteLineAsync($"  {recoveryCode}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateDisable(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var command = new Command("disable", "Turn two factors off and forget the seed") { name };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var (store, security) = await VerbSecurity.OpenAsync(context, create: false, cancellationToken);
            using var _ = security;
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            await security.TwoFactor.DisableAsync(account.Name, cancellationToken);
            await context.Output.WriteLineAsync($"two-factor authentication is off for {account.Name}");
            await Monitoring.CliCredentialChange.RecordAsync(context, account.Name, "2fa", "disabled", label: null, cancellationToken);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateStatus(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var command = new Command("status", "Show whether two factors are on") { name };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var (store, security) = await VerbSecurity.OpenAsync(context, create: false, cancellationToken);
            using var _ = security;
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            var on = await security.TwoFactor.IsEnabledAsync(account.Name, cancellationToken);
            await context.Output.WriteLineAsync(on
                ? $"{account.Name}: two factors on, {await security.TwoFactor.RecoveryCodesLeftAsync(account.Name, cancellationToken)} recovery codes left"
                : $"{account.Name}: two factors off");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
