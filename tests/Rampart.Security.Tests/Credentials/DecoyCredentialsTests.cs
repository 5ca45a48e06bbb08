using Rampart.Security.Credentials;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Credentials;

public class DecoyCredentialsTests
{
    [Fact]
    public void The_decoy_salt_is_stable_per_name_and_secret()
    {
        var secret = TestSecurity.ServerSecret;
        var salt = DecoyCredentials.ScramSalt(secret, "nobody");
        Assert.Equal(ScramCredential.SaltLength, salt.Length);
        Assert.Equal(salt, DecoyCredentials.ScramSalt(secret, "nobody"));
        Assert.Equal(salt, DecoyCredentials.ScramSalt(secret, "NoBody"));
        Assert.NotEqual(salt, DecoyCredentials.ScramSalt(secret, "nobody2"));
        var otherSecret = secret.ToArray();
        otherSecret[0] ^= 1;
        Assert.NotEqual(salt, DecoyCredentials.ScramSalt(otherSecret, "nobody"));
    }

    [Fact]
    public void The_server_secret_must_be_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => DecoyCredentials.ScramSalt(new byte[16], "x"));
    }
}
