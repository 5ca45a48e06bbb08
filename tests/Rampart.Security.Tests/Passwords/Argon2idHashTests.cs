using Rampart.Security.Passwords;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Passwords;

public class Argon2idHashTests
{
    // Produced by the reference implementation: echo -n password | argon2 somesalt01234567 -id -t 2 -m 10 -p 1 -l 32 -e
    private const string ReferenceHash = "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY";

    [Fact]
    public void Parses_and_formats_the_reference_string_unchanged()
    {
        Assert.True(Argon2idHash.TryParse(ReferenceHash, out var hash));
        Assert.Equal(1024, hash.Cost.MemoryKib);
        Assert.Equal(2, hash.Cost.Passes);
        Assert.Equal("somesalt01234567"u8.ToArray(), hash.Salt.ToArray());
        Assert.Equal(32, hash.Hash.Length);
        Assert.Equal(ReferenceHash, hash.ToString());
    }

    [Fact]
    public void Verifies_a_hash_made_by_the_reference_implementation()
    {
        Assert.True(TestSecurity.Hasher.Verify("password", ReferenceHash));
        Assert.False(TestSecurity.Hasher.Verify("Password", ReferenceHash));
    }

    [Fact]
    public void Own_hashes_round_trip_through_the_PHC_string()
    {
        var encoded = TestSecurity.Hasher.Hash("correct horse");
        Assert.Matches(@"^\$argon2id\$v=19\$m=256,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", encoded);
        Assert.True(Argon2idHash.TryParse(encoded, out var parsed));
        Assert.Equal(encoded, parsed.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("$argon2i$v=19$m=1024,t=2,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY")]
    [InlineData("$argon2id$v=16$m=1024,t=2,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY")]
    [InlineData("$argon2id$v=19$m=1024,t=2,p=4$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY")]
    [InlineData("$argon2id$v=19$t=2,m=1024,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY")]
    [InlineData("$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY")]
    [InlineData("$argon2id$v=19$m=1024,t=0,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY")]
    [InlineData("$argon2id$v=19$m=-1,t=2,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY")]
    [InlineData("$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQwMTIzNDU2Nw==$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY")]
    [InlineData("$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQ$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY")]
    [InlineData("$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKM HIGDP8Wzb6MLTzWm/yn2sYXDPNY")]
    [InlineData("$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNZ")]
    [InlineData("$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY$x")]
    [InlineData("$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH")]
    public void Refuses_strings_that_are_not_well_formed_argon2id(string text)
    {
        Assert.False(Argon2idHash.TryParse(text, out _));
        // A stored string that does not parse never verifies (and never throws).
        Assert.False(TestSecurity.Hasher.Verify("password", text));
    }
}
