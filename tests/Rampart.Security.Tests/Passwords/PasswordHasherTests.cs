using Rampart.Security.Passwords;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Passwords;

public class PasswordHasherTests
{
    private readonly PasswordHasher _hasher = TestSecurity.Hasher;

    [Fact]
    public void The_right_password_verifies_and_a_wrong_one_does_not()
    {
        var hash = _hasher.Hash("Tr0ub4dor&3 horse");
        Assert.True(_hasher.Verify("Tr0ub4dor&3 horse", hash));
        Assert.False(_hasher.Verify("Tr0ub4dor&3 hors", hash));
        Assert.False(_hasher.Verify("tr0ub4dor&3 horse", hash));
        Assert.False(_hasher.Verify("", hash));
    }

    [Fact]
    public void Each_hash_gets_its_own_salt()
    {
        Assert.NotEqual(_hasher.Hash("same password"), _hasher.Hash("same password"));
    }

    [Fact]
    public void An_empty_password_cannot_be_hashed()
    {
        Assert.Throws<ArgumentException>(() => _hasher.Hash(""));
    }

    [Fact]
    public void Passwords_are_compared_after_NFKC()
    {
        // U+FB01 LATIN SMALL LIGATURE FI is "fi" under NFKC; U+FF21 FULLWIDTH A is "A".
        var hash = _hasher.Hash("of\uFB01ce \uFF21");
        Assert.True(_hasher.Verify("office A", hash));
        Assert.True(_hasher.Verify("of\uFB01ce \uFF21", hash));
        // Precomposed and decomposed forms of "å" are one password.
        var composed = _hasher.Hash("s\u00E5lt");
        Assert.True(_hasher.Verify("sa\u030Alt", composed));
        Assert.False(_hasher.Verify("salt", composed));
    }

    [Fact]
    public void NFKC_matches_the_reference_implementation_on_the_normalized_text()
    {
        // echo -n "pässwörd fi" | argon2 saltsaltsaltsalt -id -t 3 -m 12 -p 1 -l 32 -e
        const string reference = "$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$T00z3Uo8QRs8jckk0wNc9V8BwBWakTp7fiK3nytSIMk";
        Assert.True(_hasher.Verify("p\u00E4ssw\u00F6rd \uFB01", reference));
        Assert.True(_hasher.Verify("pa\u0308ssw\u00F6rd fi", reference));
    }

    [Fact]
    public void Long_and_Unicode_passwords_are_never_truncated()
    {
        var password = string.Concat(Enumerable.Range(0, 160).Select(i => (char)('a' + (i % 26))));
        var hash = _hasher.Hash(password);
        Assert.True(_hasher.Verify(password, hash));
        var changed = password[..99] + "#" + password[100..];
        Assert.False(_hasher.Verify(changed, hash));
        Assert.False(_hasher.Verify(password[..^1], hash));

        // 130 characters of Greek, Cyrillic, CJK and an astral emoji: well over 255 UTF-8 octets.
        var unicode = string.Concat(Enumerable.Repeat("λж密🔑", 26));
        var unicodeHash = _hasher.Hash(unicode);
        Assert.True(_hasher.Verify(unicode, unicodeHash));
        Assert.False(_hasher.Verify(unicode[..98] + "x" + unicode[99..], unicodeHash));
    }

    [Fact]
    public void Unknown_users_cost_a_verification_and_never_succeed()
    {
        Assert.False(_hasher.VerifyUnknownUser("anything"));
        Assert.False(_hasher.VerifyUnknownUser(""));
    }

    [Fact]
    public void A_lone_surrogate_never_verifies()
    {
        var hash = _hasher.Hash("abc");
        Assert.False(_hasher.Verify("ab\uD800", hash));
        Assert.Throws<ArgumentException>(() => _hasher.Hash("ab\uD800"));
    }

    [Fact]
    public void Hashes_weaker_than_the_current_cost_need_rehashing()
    {
        var weak = new PasswordHasher(new Argon2Cost(128, 1)).Hash("pw");
        var current = _hasher.Hash("pw");
        var stronger = new PasswordHasher(new Argon2Cost(512, 2)).Hash("pw");
        Assert.True(_hasher.NeedsRehash(weak));
        Assert.False(_hasher.NeedsRehash(current));
        Assert.False(_hasher.NeedsRehash(stronger));
        Assert.True(_hasher.NeedsRehash("not a hash"));
        Assert.True(new PasswordHasher(new Argon2Cost(256, 2)).NeedsRehash(current));
    }

    [Fact]
    public void Cost_bounds_are_enforced()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Argon2Cost(Argon2Cost.MinMemoryKib - 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Argon2Cost(1024, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Argon2Cost(1024, Argon2Cost.MaxPasses + 1));
    }

    [Fact]
    public void Production_defaults_hash_and_verify()
    {
        var hasher = new PasswordHasher();
        Assert.Equal(Argon2Cost.Default, hasher.Cost);
        Assert.Equal(19_456, hasher.Cost.MemoryKib);
        Assert.Equal(2, hasher.Cost.Passes);
        var hash = hasher.Hash("a production password");
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash);
        Assert.True(hasher.Verify("a production password", hash));
        Assert.False(hasher.Verify("a production passwore", hash));
        Assert.False(hasher.NeedsRehash(hash));
    }
}
