namespace Rampart.Smtp.Domains;

/// <summary>The mail domains this server hosts: inbound SMTP accepts recipients only in these (never an open relay,
/// RFC 5321 §3.6), and submission treats every other domain as remote (the outbound queue).</summary>
public interface IHostedDomains
{
    /// <summary>True when <paramref name="domain"/> (an ASCII or U-label domain, any case) is hosted here.</summary>
    bool IsHosted(string domain);
}
