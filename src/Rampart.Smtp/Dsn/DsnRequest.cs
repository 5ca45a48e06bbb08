namespace Rampart.Smtp.Dsn;

/// <summary>What the client asked of delivery status notifications for one message (RFC 3461): RET and ENVID of MAIL,
/// and NOTIFY/ORCPT per recipient (keyed by the forward path, case-insensitively).</summary>
/// <param name="Return">RET.</param>
/// <param name="EnvelopeId">ENVID, xtext-decoded; null when not given.</param>
/// <param name="Recipients">RCPT parameters by address; a recipient missing here gave none.</param>
public sealed record DsnRequest(DsnReturn Return, string? EnvelopeId, IReadOnlyDictionary<string, RecipientDsn> Recipients)
{
    /// <summary>The parameters of <paramref name="address"/>, or none.</summary>
    public RecipientDsn For(string address) =>
        Recipients.TryGetValue(address, out var found) ? found : new RecipientDsn(DsnNotify.None, null, null);
}
