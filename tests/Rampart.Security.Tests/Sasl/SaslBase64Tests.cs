using System.Text;
using Rampart.Security.Sasl;

namespace Rampart.Security.Tests.Sasl;

public class SaslBase64Tests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("QQ==", "A")]
    [InlineData("QUI=", "AB")]
    [InlineData("QUJD", "ABC")]
    [InlineData("AHVzZXIAcGVuY2ls", "\0user\0pencil")]
    public void Decodes_strict_base64(string encoded, string expected)
    {
        Assert.True(SaslBase64.TryDecode(Encoding.ASCII.GetBytes(encoded), out var decoded));
        Assert.Equal(expected, Encoding.ASCII.GetString(decoded));
    }

    [Theory]
    [InlineData("QQ")]          // missing padding
    [InlineData("QQ=")]
    [InlineData("Q===")]
    [InlineData("====")]
    [InlineData("QQ==QQ==")]    // padding in the middle
    [InlineData("QU I=")]       // whitespace
    [InlineData("QUJD\r\n")]
    [InlineData(" QUJD")]
    [InlineData("QUJD\t")]
    [InlineData("QU-D")]        // base64url alphabet
    [InlineData("QU_D")]
    [InlineData("QR==")]        // non-canonical trailing bits
    [InlineData("QUJ=")]
    [InlineData("=")]           // the empty-initial-response marker is not base64
    [InlineData("*")]           // nor is the cancellation
    public void Refuses_anything_else(string encoded)
    {
        Assert.False(SaslBase64.TryDecode(Encoding.ASCII.GetBytes(encoded), out _));
    }

    [Fact]
    public void Refuses_input_over_the_limit_before_decoding()
    {
        var limit = 30;
        var fits = Encoding.ASCII.GetBytes(Convert.ToBase64String(new byte[limit]));
        var over = Encoding.ASCII.GetBytes(Convert.ToBase64String(new byte[limit + 1]));
        Assert.True(SaslBase64.TryDecode(fits, limit, out _));
        Assert.False(SaslBase64.TryDecode(over, limit, out _));

        var megabyte = Encoding.ASCII.GetBytes(Convert.ToBase64String(new byte[1024 * 1024]));
        Assert.False(SaslBase64.TryDecode(megabyte, out _));
        Assert.True(SaslBase64.TryDecode(Encoding.ASCII.GetBytes(Convert.ToBase64String(new byte[SaslLimits.DefaultMaxResponseBytes])), out _));
    }

    [Fact]
    public void Recognizes_the_protocol_markers()
    {
        Assert.True(SaslBase64.IsEmptyInitialResponse("="u8));
        Assert.False(SaslBase64.IsEmptyInitialResponse("=="u8));
        Assert.False(SaslBase64.IsEmptyInitialResponse(""u8));
        Assert.True(SaslBase64.IsCancellation("*"u8));
        Assert.False(SaslBase64.IsCancellation("**"u8));
    }

    [Fact]
    public void Encodes_for_the_wire()
    {
        Assert.Equal("cj1hYmM="u8.ToArray(), SaslBase64.Encode("r=abc"u8));
        Assert.Empty(SaslBase64.Encode(ReadOnlySpan<byte>.Empty));
    }
}
