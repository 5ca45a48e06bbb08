using System.Text;
using System.Text.Unicode;
using Rampart.Security.Credentials;
using Rampart.Security.Sasl.Mechanisms.Plain;

namespace Rampart.Security.Sasl.Mechanisms.Login;

/// <summary>
/// The server side of one LOGIN exchange: challenge <c>Username:</c>, then <c>Password:</c>, then the same
/// check as PLAIN through <see cref="PasswordAuthenticator"/>. An initial response is the user name
/// (SMTP <c>AUTH LOGIN dXNlcg==</c>).
/// </summary>
/// <remarks>
/// Each field is refused as <see cref="SaslFailureReason.Malformed"/> when empty, over
/// <see cref="PlainServer.MaxFieldOctets"/>, not UTF-8, or containing NUL, the same limits as PLAIN
/// (SECURITY.md A02).
/// </remarks>
public sealed class LoginServer : SaslServer
{
    private string? _userName;

    /// <summary>Creates the server side of one exchange.</summary>
    public LoginServer(SaslContext context)
        : base(context)
    {
    }

    /// <inheritdoc />
    public override string MechanismName => LoginMechanism.Instance.Name;

    /// <inheritdoc />
    protected override SaslStep InitialChallenge() => SaslStep.Continue("Username:"u8.ToArray());

    /// <inheritdoc />
    protected override async ValueTask<SaslStep> RespondAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        if (!TryReadField(response.Span, out var field))
        {
            return SaslStep.Failure(SaslFailureReason.Malformed, _userName);
        }

        if (_userName is null)
        {
            _userName = field;
            return SaslStep.Continue("Password:"u8.ToArray());
        }

        return await Context.CheckPasswordAsync(_userName, field, MechanismName, cancellationToken).ConfigureAwait(false);
    }

    private static bool TryReadField(ReadOnlySpan<byte> bytes, out string field)
    {
        field = string.Empty;
        if (bytes.IsEmpty || bytes.Length > PlainServer.MaxFieldOctets || bytes.Contains((byte)0) || !Utf8.IsValid(bytes))
        {
            return false;
        }

        field = Encoding.UTF8.GetString(bytes);
        return true;
    }
}
