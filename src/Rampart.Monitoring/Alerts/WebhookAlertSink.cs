using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Rampart.Monitoring.Alerts;

/// <summary>POSTs each alert as a JSON object to <see cref="AlertOptions.WebhookUrl"/>, signed with
/// <see cref="AlertOptions.WebhookSecret"/> when one is set. A non-2xx answer is an error (logged by the dispatcher);
/// there is no retry queue: the alert is also in the audit log.</summary>
public sealed class WebhookAlertSink : IAlertSink, IDisposable
{
    private readonly HttpClient client;
    private readonly Uri url;
    private readonly byte[]? key;

    public WebhookAlertSink(AlertOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"Monitoring:Alerts:WebhookUrl '{options.WebhookUrl}' is not an http(s) URL", nameof(options));
        }

        url = parsed;
        key = options.WebhookSecret is { Length: > 0 } secret ? Encoding.UTF8.GetBytes(secret) : null;
        client = handler is null ? new HttpClient() : new HttpClient(handler);
        client.Timeout = options.WebhookTimeout;
    }

    /// <summary>The JSON body for an alert.</summary>
    public static byte[] Body(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["kind"] = alert.KindName,
            ["time"] = alert.Time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["subject"] = alert.Subject,
            ["summary"] = alert.Summary,
            ["account"] = alert.Account,
            ["ip"] = alert.ClientIp?.ToString(),
            ["network"] = alert.Network,
            ["protocol"] = alert.Protocol,
            ["session"] = alert.SessionId,
            ["clientId"] = alert.ClientId,
        });
    }

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        var body = Body(alert);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (key is not null)
        {
            request.Headers.Add("X-Rampart-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body)));
        }

        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => client.Dispose();
}
