using Rampart.Store.Mime;
using static Rampart.Store.Tests.Mime.MimeSamples;

namespace Rampart.Store.Tests.Mime;

/// <summary>ENVELOPE (RFC 9051 §7.5.2) and the decoded fields SEARCH and SORT use (RFC 5256, RFC 5957).</summary>
public class EnvelopeAndFieldsTests
{
    [Fact]
    public void Envelope_keeps_raw_values_and_encodes_groups()
    {
        var m = Analyze(Nested);
        var e = m.Envelope;
        Assert.Equal("Tue, 1 Apr 2025 10:00:00 +0200", e.Date);
        Assert.Equal("=?UTF-8?B?R3LDvMOfZQ==?= and more", e.Subject);
        Assert.Equal("<outer@example.com>", e.MessageId);
        Assert.Equal("<parent@example.com>", e.InReplyTo);
        Assert.Equal([new EnvelopeAddress("Doe, John", null, "john", "example.com")], e.From);

        // RFC 9051 §7.5.2: Sender and Reply-To default to From.
        Assert.Equal(e.From, e.Sender);
        Assert.Equal(e.From, e.ReplyTo);

        Assert.Equal(5, e.To.Count);
        Assert.Equal(new EnvelopeAddress(null, null, "Team", null), e.To[0]);
        Assert.Equal(new EnvelopeAddress(null, null, "ann", "example.com"), e.To[1]);
        Assert.Equal("joerg", e.To[2].Mailbox);
        Assert.StartsWith("=?", e.To[2].Name, StringComparison.Ordinal);
        Assert.Equal(new EnvelopeAddress(null, null, null, null), e.To[3]);
        Assert.Equal(new EnvelopeAddress(null, null, "carol", "example.net"), e.To[4]);
        Assert.Equal([new EnvelopeAddress(null, null, "undisclosed-recipients", null), new EnvelopeAddress(null, null, null, null)], e.Cc);
        Assert.Empty(e.Bcc);
    }

    [Fact]
    public void Header_fields_are_decoded_for_search_and_sort()
    {
        var f = Analyze(Nested).Fields;
        Assert.Equal("Grüße and more", f.Subject);
        Assert.Equal("GRÜßE AND MORE", f.SortSubject);
        Assert.Contains("Doe, John", f.From, StringComparison.Ordinal);
        Assert.Contains("john@example.com", f.From, StringComparison.Ordinal);
        Assert.Contains("Jörg <joerg@example.de>", f.To, StringComparison.Ordinal);
        Assert.Contains("carol@example.net", f.To, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2025, 4, 1, 10, 0, 0, TimeSpan.FromHours(2)), f.Date);
        Assert.Equal("outer@example.com", f.MessageId);
        Assert.Equal(["parent@example.com"], f.InReplyTo);
        Assert.Equal(["root@example.com", "parent@example.com"], f.References);
        Assert.Equal("john", f.SortFrom);
        Assert.Equal("ann", f.SortTo);
        Assert.Equal("", f.SortCc);
        Assert.Equal("Doe, John", f.DisplayFrom);
        Assert.Equal("Team", f.DisplayTo);
    }

    [Fact]
    public void Simple_message_fields()
    {
        var m = Analyze(Simple);
        Assert.Equal("Re: [list] Hello  world", m.Envelope.Subject);
        Assert.Equal("Re: [list] Hello  world", m.Fields.Subject);
        Assert.Equal("HELLO WORLD", m.Fields.SortSubject);
        Assert.Equal("Alice Example", m.Fields.DisplayFrom);
        Assert.Equal("alice", m.Fields.SortFrom);
        Assert.Equal("bob", m.Fields.SortTo);
        Assert.Contains("Subject: Re: [list] Hello  world\n", m.HeaderText, StringComparison.Ordinal);
        Assert.Contains("From: Alice Example <alice@example.com>\n", m.HeaderText, StringComparison.Ordinal);
        Assert.Equal("Hello Bob,\nhow are you?\n", m.BodyText);
    }

    [Fact]
    public void Missing_headers_give_empty_values_not_errors()
    {
        var m = Analyze("\r\njust a body\r\n");
        Assert.Null(m.Envelope.Date);
        Assert.Null(m.Envelope.Subject);
        Assert.Null(m.Envelope.MessageId);
        Assert.Empty(m.Envelope.From);
        Assert.Empty(m.Envelope.Sender);
        Assert.Null(m.Fields.Date);
        Assert.Null(m.Fields.MessageId);
        Assert.Equal("", m.Fields.Subject);
        Assert.Equal("", m.Fields.SortSubject);
        Assert.Equal("", m.Fields.DisplayFrom);
        Assert.Equal("", m.HeaderText);
        Assert.Equal(2, m.Body.HeaderLength);
        Assert.Equal("just a body", m.Preview);
    }

    [Fact]
    public void Garbage_date_is_null_and_sender_is_kept_when_present()
    {
        var m = Analyze("From: a@example.com\r\nSender: s@example.com\r\nReply-To:\r\nDate: not a date\r\n\r\nx");
        Assert.Null(m.Fields.Date);
        Assert.Equal("not a date", m.Envelope.Date);
        Assert.Equal("s", m.Envelope.Sender[0].Mailbox);
        Assert.Equal(m.Envelope.From, m.Envelope.ReplyTo);
    }

    [Fact]
    public void Mailbox_without_domain_has_empty_host_not_nil()
    {
        var m = Analyze("To: localonly\r\n\r\nx");
        var to = Assert.Single(m.Envelope.To);
        Assert.Equal("localonly", to.Mailbox);
        Assert.Equal("", to.Host);
    }

    [Theory]
    [InlineData("Re: hello", "HELLO")]
    [InlineData("RE: Re: re:hello", "HELLO")]
    [InlineData("Fwd: hello", "HELLO")]
    [InlineData("Fw: hello", "HELLO")]
    [InlineData("Re[2]: hello", "HELLO")]
    [InlineData("[list] Re: hello", "HELLO")]
    [InlineData("Re: [list] hello", "HELLO")]
    [InlineData("hello (fwd)", "HELLO")]
    [InlineData("hello (fwd) (FWD)  ", "HELLO")]
    [InlineData("[Fwd: hello]", "HELLO")]
    [InlineData("[fwd: Re: [x] hello (fwd)]", "HELLO")]
    [InlineData("  hello \t  world  ", "HELLO WORLD")]
    [InlineData("[only a blob]", "[ONLY A BLOB]")]
    [InlineData("Re: [blob]", "[BLOB]")]
    [InlineData("Reply to this", "REPLY TO THIS")]
    [InlineData("", "")]
    public void Base_subject_follows_rfc5256(string subject, string expected) =>
        Assert.Equal(expected, BaseSubject.Extract(subject));

    [Fact]
    public void Preview_prefers_plain_text_and_collapses_whitespace()
    {
        var m = Analyze(Nested);
        Assert.Equal("Grüße aus Berlin", m.Preview);
        Assert.Contains("Grüße   aus\nBerlin", m.BodyText, StringComparison.Ordinal);
        Assert.Contains("Hello HTML & friends", m.BodyText, StringComparison.Ordinal);
        Assert.Contains("second inner part", m.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("JVBER", m.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_falls_back_to_html_and_stops_at_256_characters_without_splitting_a_pair()
    {
        string emoji = string.Concat(Enumerable.Repeat("a\U0001F600", 200));
        var m = Analyze(
            "Content-Type: text/html; charset=utf-8\r\n\r\n<style>p{}</style><p>" + emoji + "</p>\r\n");
        Assert.True(m.Preview.Length <= 256);
        Assert.False(char.IsHighSurrogate(m.Preview[^1]));
        Assert.StartsWith("a\U0001F600a", m.Preview, StringComparison.Ordinal);
        Assert.DoesNotContain("p{}", m.Preview, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_text_is_capped()
    {
        var m = Analyze("\r\n" + new string('x', 10_000), new MimeLimits { MaxIndexedTextChars = 100 });
        Assert.Equal(100, m.BodyText.Length);
    }
}
