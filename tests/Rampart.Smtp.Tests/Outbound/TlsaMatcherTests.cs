using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rampart.Smtp.Outbound.Dane;

namespace Rampart.Smtp.Tests.Outbound;

/// <summary>TLSA matching (RFC 6698 §2.1, RFC 7671, RFC 7672 §3): usages, selectors and matching types.</summary>
public sealed class TlsaMatcherTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    public void DANE_EE_matches_the_leaf_with_every_selector_and_matching_type(byte selector, byte matching)
    {
        using var leaf = TestAuthority.SelfSigned("mx.example.test");
        using var other = TestAuthority.SelfSigned("mx.example.test");
        var record = new TlsaAssociation(TlsaAssociation.DaneEe, selector, matching, Data(leaf, selector, matching));

        Assert.True(record.IsUsable);
        // DANE-EE checks no name: a certificate for another name still matches (RFC 7672 §3.2.1).
        Assert.True(TlsaMatcher.Matches([record], leaf, [], ["unrelated.example"]));
        Assert.False(TlsaMatcher.Matches([record], other, [], ["mx.example.test"]));
    }

    [Fact]
    public void DANE_TA_needs_a_chain_to_the_anchor_and_a_matching_name()
    {
        using var authority = new TestAuthority();
        using var leaf = authority.Issue("mx.example.test");
        var record = new TlsaAssociation(TlsaAssociation.DaneTa, 1, 1, Data(authority.Certificate, 1, 1));

        Assert.True(TlsaMatcher.Matches([record], leaf, [authority.Certificate], ["mx.example.test", "example.test"]));
        Assert.True(TlsaMatcher.Matches([record], leaf, [authority.Certificate], ["other.example", "mx.example.test"]));
        Assert.False(TlsaMatcher.Matches([record], leaf, [authority.Certificate], ["other.example"]));

        // The anchor was not sent: nothing to match a digest against; a "2 0 0" record carries the anchor itself.
        Assert.False(TlsaMatcher.Matches([record], leaf, [], ["mx.example.test"]));
        Assert.True(TlsaMatcher.Matches([new TlsaAssociation(TlsaAssociation.DaneTa, 0, 0, authority.Certificate.RawData)], leaf, [], ["mx.example.test"]));
        Assert.False(TlsaMatcher.Matches([new TlsaAssociation(TlsaAssociation.DaneTa, 0, 0, [0x30, 0x03, 0x02, 0x01, 0x00])], leaf, [], ["mx.example.test"]));

        // A certificate from another CA, even with the anchor sent alongside, does not chain to it.
        using var stranger = TestAuthority.SelfSigned("mx.example.test");
        Assert.False(TlsaMatcher.Matches([record], stranger, [authority.Certificate], ["mx.example.test"]));
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 1, 3)]
    [InlineData(3, 1, 255)]
    public void PKIX_usages_and_unknown_selectors_or_matching_types_are_unusable(byte usage, byte selector, byte matching)
    {
        using var leaf = TestAuthority.SelfSigned("mx.example.test");
        var record = new TlsaAssociation(usage, selector, matching, SHA256.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo()));

        Assert.False(record.IsUsable);
        Assert.False(TlsaMatcher.Matches([record], leaf, [], ["mx.example.test"]));
    }

    [Fact]
    public void A_digest_of_the_wrong_length_is_unusable()
    {
        Assert.False(new TlsaAssociation(3, 1, 1, new byte[31]).IsUsable);
        Assert.False(new TlsaAssociation(3, 1, 2, new byte[32]).IsUsable);
        Assert.False(new TlsaAssociation(3, 0, 0, []).IsUsable);
    }

    [Fact]
    public void One_matching_record_among_several_suffices()
    {
        using var leaf = TestAuthority.SelfSigned("mx.example.test");
        TlsaAssociation[] records =
        [
            new(3, 1, 1, new byte[32]),
            new(1, 1, 1, Data(leaf, 1, 1)),
            new(3, 1, 2, Data(leaf, 1, 2)),
        ];
        Assert.True(TlsaMatcher.Matches(records, leaf, [], []));
    }

    internal static byte[] Data(X509Certificate2 certificate, byte selector, byte matching)
    {
        var selected = selector == 0 ? certificate.RawData : certificate.PublicKey.ExportSubjectPublicKeyInfo();
        return matching switch
        {
            0 => selected,
            1 => SHA256.HashData(selected),
            _ => SHA512.HashData(selected),
        };
    }
}
