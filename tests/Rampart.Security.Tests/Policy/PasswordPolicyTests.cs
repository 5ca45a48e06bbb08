#pragma warning disable CA5350 // The HIBP range format is keyed by SHA-1.
using System.Security.Cryptography;
using System.Text;
using Rampart.Security.Policy;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Policy;

public class PasswordPolicyTests
{
    [Theory]
    [InlineData("Abcdef1!xyz", PasswordRefusal.TooShort)] // 11
    [InlineData("Abcdef1!xyzq", PasswordRefusal.None)] // 12
    [InlineData("Abcdef1!xyzqr", PasswordRefusal.None)] // 13
    public void P01_lengths_around_the_default_minimum(string password, PasswordRefusal expected) =>
        Assert.Equal(expected, PasswordPolicy.Default.Check(password, "alice").Refusal);

    [Theory]
    [InlineData("zebra quilt mango river", PasswordRefusal.None)] // 23, no classes: fine for nist
    [InlineData("zebra quilt ma", PasswordRefusal.TooShort)] // 14
    [InlineData("zebra quilt man", PasswordRefusal.None)] // 15
    public void P01_nist_profile_is_length_only(string password, PasswordRefusal expected) =>
        Assert.Equal(expected, PasswordPolicy.FromProfile("NIST").Check(password, "alice").Refusal);

    [Fact]
    public void P01_long_and_unicode_passwords_are_accepted_and_counted_after_nfkc()
    {
        var longOne = "Vx9!" + new string('q', 60) + "Zr7#" + string.Concat(Enumerable.Repeat("mlkj", 20));
        Assert.True(longOne.Length >= 128);
        Assert.True(PasswordPolicy.Default.Check(longOne, "alice").IsAccepted);
        Assert.Equal(PasswordRefusal.TooLong, PasswordPolicy.Default.Check(new string('a', 1025), "alice").Refusal);

        // Full-width letters are NFKC-equivalent to ASCII; a combining sequence counts as one character.
        Assert.True(PasswordPolicy.Default.Check("Ｃｏｒｒｅｃｔ-Ｈｏｒｓｅ-9", "alice").IsAccepted);
        Assert.True(PasswordPolicy.Default.Check("Ünïcödé-Pässwörd-7", "alice").IsAccepted);
        var elevenPerceived = "Abcdef1!xy" + "e\u0301";
        Assert.Equal(PasswordRefusal.TooShort, PasswordPolicy.Default.Check(elevenPerceived, "alice").Refusal);
    }

    [Theory]
    [InlineData("alllowercase1!", "an upper-case letter")]
    [InlineData("ALLUPPERCASE1!", "a lower-case letter")]
    [InlineData("NoDigitsHere!!", "a digit")]
    [InlineData("NoSymbolsHere12", "a symbol")]
    public void Default_profile_asks_for_each_class(string password, string missing)
    {
        var result = PasswordPolicy.Default.Check(password, "alice");
        Assert.Equal(PasswordRefusal.MissingCharacterClass, result.Refusal);
        Assert.Contains(missing, result.Message);
    }

    [Theory]
    [InlineData("Password123!")]
    [InlineData("P@ssw0rd2024!")]
    [InlineData("Qwerty123456!")]
    [InlineData("Summer2024!!")]
    [InlineData("Welcome@2025")]
    [InlineData("Iloveyou123!")]
    public void P02_common_passwords_and_decorations_are_refused(string password)
    {
        var result = PasswordPolicy.Default.Check(password, "alice");
        Assert.Equal(PasswordRefusal.Common, result.Refusal);
        Assert.Contains("common", result.Message);
    }

    [Fact]
    public void P02_common_list_is_shipped_and_large()
    {
        Assert.True(CommonPasswordList.Count > 5000);
        Assert.True(CommonPasswordList.Contains("123456"));
        Assert.False(CommonPasswordList.Contains("Correct-Horse-Battery-9"));
    }

    [Theory]
    [InlineData("Alice-Secret-99", "alice")]
    [InlineData("ecila-Secret-99", "alice")]
    [InlineData("My-Bob.smith-1X", "bob.smith@example.com")]
    public void P02_user_name_derived_passwords_are_refused(string password, string account) =>
        Assert.Equal(PasswordRefusal.UserNameDerived, PasswordPolicy.Default.Check(password, account).Refusal);

    [Fact]
    public void P02_breached_passwords_from_range_files_are_refused()
    {
        var dir = Directory.CreateTempSubdirectory("rampart-hibp-").FullName;
        try
        {
            const string breached = "Tr0ub4dor&3-Horse";
            var hash = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(breached)));
            File.WriteAllText(Path.Combine(dir, hash[..5] + ".txt"), $"0000000000000000000000000000000000A:3\r\n{hash[5..]}:42\r\n");
            var policy = PasswordPolicy.FromProfile("default", dir);
            var result = policy.Check(breached, "alice");
            Assert.Equal(PasswordRefusal.Breached, result.Refusal);
            Assert.Equal(42, policy.Breached!.TimesSeen(breached));
            Assert.True(policy.Check("Tr0ub4dor&3-Horse2", "alice").IsAccepted);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task P02_the_last_five_passwords_are_refused_and_the_sixth_is_allowed()
    {
        var secrets = new MemoryAccountSecrets();
        var changer = new PasswordChanger(secrets, TestSecurity.Hasher);
        var changed = new List<string>();
        changer.Changed += changed.Add;
        var passwords = Enumerable.Range(1, 6).Select(i => $"Distinct-Phrase-{i}x!").ToList();
        foreach (var p in passwords)
        {
            Assert.True((await changer.ChangeAsync("alice", p, default)).IsAccepted);
        }

        Assert.Equal(6, changed.Count);
        var again = await changer.ChangeAsync("alice", passwords[^1], default);
        Assert.Equal(PasswordRefusal.RecentlyUsed, again.Refusal);
        Assert.Equal(PasswordRefusal.RecentlyUsed, (await changer.CheckAsync("alice", passwords[1], default)).Refusal);
        Assert.True((await changer.CheckAsync("alice", passwords[0], default)).IsAccepted);
        Assert.True(await changer.VerifyCurrentAsync("alice", passwords[^1], default));
        Assert.False(await changer.VerifyCurrentAsync("alice", passwords[0], default));
        Assert.False(await changer.VerifyCurrentAsync("nobody", passwords[0], default));
    }

    [Fact]
    public void P03_expiry_depends_on_the_profile()
    {
        var set = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.False(PasswordPolicy.Default.IsExpired(set, set.AddDays(89)));
        Assert.True(PasswordPolicy.Default.IsExpired(set, set.AddDays(91)));
        Assert.False(PasswordPolicy.Nist.IsExpired(set, set.AddYears(5)));
        Assert.Throws<ArgumentException>(() => PasswordPolicy.FromProfile("weak"));
    }

    [Fact]
    public void Control_characters_are_refused()
    {
        Assert.Equal(PasswordRefusal.InvalidCharacters, PasswordPolicy.Default.Check("Abcdef1!xyz\u0007q", "alice").Refusal);
        Assert.Equal(PasswordRefusal.InvalidCharacters, PasswordPolicy.Default.Check("Abcdef1!xyz\ud800q", "alice").Refusal);
    }
}
