using Rampart.Security.Passwords;

namespace Rampart.Security.Tests.Passwords;

public class SaslPrepTests
{
    [Theory]
    // RFC 4013 §3 examples that the subset covers.
    [InlineData("I\u00ADX", "IX")]
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]
    [InlineData("\u00AA", "a")]
    [InlineData("\u2168", "IX")]
    // Non-ASCII spaces become U+0020; zero-width joiners vanish.
    [InlineData("a\u00A0b\u3000c", "a b c")]
    [InlineData("a\u200Bb\u200Dc\uFEFF", "abc")]
    [InlineData("\uFB01", "fi")]
    public void Maps_and_normalizes(string input, string expected)
    {
        Assert.True(SaslPrep.TryPrepare(input, out var prepared));
        Assert.Equal(expected, prepared);
    }

    [Theory]
    [InlineData("\u0007")]        // C.2.1, RFC 4013 §3 example
    [InlineData("a\u0000b")]
    [InlineData("a\u007Fb")]
    [InlineData("a\u0085b")]      // C.2.2
    [InlineData("a\u2028b")]
    [InlineData("a\uE000b")]      // C.3 private use
    [InlineData("a\uFDD0b")]      // C.4
    [InlineData("a\uFFFDb")]      // C.6
    [InlineData("a\u202Eb")]      // C.8 right-to-left override
    [InlineData("a\uD800b")]      // lone surrogate
    public void Refuses_prohibited_characters(string input)
    {
        Assert.False(SaslPrep.TryPrepare(input, out _));
        Assert.Throws<ArgumentException>(() => SaslPrep.Prepare(input));
    }
}
