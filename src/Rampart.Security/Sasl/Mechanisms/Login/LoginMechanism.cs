namespace Rampart.Security.Sasl.Mechanisms.Login;

/// <summary>
/// The LOGIN mechanism (draft-murchison-sasl-login; obsolete but still what some mail clients send for SMTP
/// AUTH): user name and password in two challenges, in the clear, so offered only inside TLS.
/// </summary>
public sealed class LoginMechanism : ISaslMechanism
{
    private LoginMechanism()
    {
    }

    /// <summary>The one instance; the mechanism has no state.</summary>
    public static LoginMechanism Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "LOGIN";

    /// <inheritdoc />
    public bool RequiresTls => true;

    /// <inheritdoc />
    public bool IsPasswordEquivalent => false;

    /// <inheritdoc />
    public bool IsAvailable(SaslContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.IsTls;
    }

    /// <inheritdoc />
    public SaslServer CreateServer(SaslContext context) => new LoginServer(context);
}
