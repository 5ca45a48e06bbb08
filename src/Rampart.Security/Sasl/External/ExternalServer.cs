using System.Text;
using System.Text.Unicode;

namespace Rampart.Security.Sasl.External;

/// <summary>
/// The server side of one EXTERNAL exchange (RFC 4422 Appendix A): one client message, the authorization identity
/// or nothing. An empty message means "the identity of my certificate"; a non-empty one must name that same account
/// (Rampart has no proxy authorization). Every refusal is the generic failure.
/// </summary>
public sealed class ExternalServer : SaslServer
{
    private readonly ClientCertificateVerifier? _verifier;

    /// <summary>Creates the server side of one exchange.</summary>
    public ExternalServer(SaslContext context, ClientCertificateVerifier? verifier)
        : base(context) => _verifier = verifier;

    /// <inheritdoc />
    public override string MechanismName => "EXTERNAL";

    /// <summary>The last refusal's reason for the audit log (e.g. certificate-revoked), or empty.</summary>
    public string Reason { get; private set; } = string.Empty;

    /// <inheritdoc />
    protected override async ValueTask<SaslStep> RespondAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        if (response.Length > 255 || !Utf8.IsValid(response.Span) || response.Span.Contains((byte)0))
        {
            return SaslStep.Failure(SaslFailureReason.Malformed);
        }

        var authzid = response.IsEmpty ? null : Encoding.UTF8.GetString(response.Span);
        if (_verifier is null || Context.ClientCertificate is not { } certificate)
        {
            Reason = "no-certificate";
            return SaslStep.Failure(SaslFailureReason.NoCredential, authzid);
        }

        var name = _verifier.Verify(certificate, out var reason);
        if (name is null)
        {
            Reason = reason;
            return SaslStep.Failure(SaslFailureReason.BadCredentials, authzid);
        }

        var lookup = await Context.Credentials.FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (lookup is null)
        {
            Reason = "certificate-unmapped";
            return SaslStep.Failure(SaslFailureReason.UnknownUser, authzid ?? name);
        }

        if (authzid is not null)
        {
            var asked = await Context.Credentials.FindAsync(authzid, cancellationToken).ConfigureAwait(false);
            if (asked is null || !string.Equals(asked.AccountName, lookup.AccountName, StringComparison.Ordinal))
            {
                Reason = "authzid-mismatch";
                return SaslStep.Failure(SaslFailureReason.AuthzidNotAllowed, authzid);
            }
        }

        return SaslStep.Success(new SaslIdentity(lookup.AccountName, MechanismName), attemptedUser: authzid ?? name);
    }
}
