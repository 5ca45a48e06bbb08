using System.Security.Cryptography;

namespace Rampart.Server.Configuration;

/// <summary>The one directory that holds everything Rampart keeps: store, blobs, TLS certificate, server secret,
/// audit log. <c>--data DIR</c> on every verb; default <c>./data</c>.</summary>
public sealed class DataDirectory
{
    /// <summary>The server secret's file name: 32 random bytes that key fake SCRAM salts and login caches.</summary>
    public const string SecretFileName = "server.key";

    private DataDirectory(string path) => Path = path;

    /// <summary>Absolute path.</summary>
    public string Path { get; }

    /// <summary>Where the generated or configured TLS material lives.</summary>
    public string TlsDirectory => System.IO.Path.Combine(Path, "tls");

    /// <summary>Opens an existing data directory; fails clearly when it is missing, not a directory, or unreadable.</summary>
    /// <exception cref="DataDirectoryException">With one line saying what is wrong.</exception>
    public static DataDirectory OpenExisting(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new DataDirectoryException($"data directory {full} is a file, not a directory");
        }

        if (!Directory.Exists(full))
        {
            throw new DataDirectoryException($"data directory {full} does not exist (run `rampart serve --data {path}` or `rampart user add` to create it)");
        }

        CheckWritable(full);
        return new DataDirectory(full);
    }

    /// <summary>Opens the data directory, creating it (mode 0700) when it does not exist yet.</summary>
    /// <exception cref="DataDirectoryException">With one line saying what is wrong.</exception>
    public static DataDirectory OpenOrCreate(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new DataDirectoryException($"data directory {full} is a file, not a directory");
        }

        if (!Directory.Exists(full))
        {
            try
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(full);
                }
                else
                {
                    Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DataDirectoryException($"cannot create data directory {full}: {e.Message}");
            }
        }

        CheckWritable(full);
        return new DataDirectory(full);
    }

    /// <summary>Reads the server secret, creating it (mode 0600) on first use.</summary>
    public byte[] ReadOrCreateSecret()
    {
        var file = System.IO.Path.Combine(Path, SecretFileName);
        if (File.Exists(file))
        {
            var existing = File.ReadAllBytes(file);
            if (existing.Length != 32)
            {
                throw new DataDirectoryException($"{file} is damaged: expected 32 bytes, found {existing.Length}");
            }

            return existing;
        }

        var secret = RandomNumberGenerator.GetBytes(32);
        var temp = file + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(secret);
            stream.Flush(flushToDisk: true);
        }

        // Another process may have won the race; keep whichever landed first so every process agrees.
        try
        {
            File.Move(temp, file, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(temp);
            return File.ReadAllBytes(file);
        }

        return secret;
    }

    private static void CheckWritable(string full)
    {
        var probe = System.IO.Path.Combine(full, $".probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataDirectoryException($"data directory {full} is not writable: {e.Message}");
        }
    }
}

/// <summary>The data directory cannot be used; the message says why in one line.</summary>
public sealed class DataDirectoryException : Exception
{
    public DataDirectoryException(string message)
        : base(message)
    {
    }

    public DataDirectoryException()
    {
    }

    public DataDirectoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
