namespace Rampart.Server.Cli;

/// <summary>Process exit codes, after sysexits.h so that MTAs calling <c>rampart deliver</c> know what to retry.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A general failure: the message says why.</summary>
    public const int Failure = 1;

    /// <summary>EX_USAGE: bad arguments.</summary>
    public const int Usage = 64;

    /// <summary>EX_DATAERR: the input was refused (e.g. a message over the size limit).</summary>
    public const int DataError = 65;

    /// <summary>EX_NOUSER: no such account.</summary>
    public const int NoUser = 67;

    /// <summary>EX_UNAVAILABLE: a port cannot be bound, the service cannot start.</summary>
    public const int Unavailable = 69;

    /// <summary>EX_CANTCREAT: the data directory or a file in it cannot be created; <c>rampart deliver</c>: the account is over its quota.</summary>
    public const int CannotCreate = 73;

    /// <summary>EX_TEMPFAIL: try again later; nothing was stored.</summary>
    public const int TempFail = 75;

    /// <summary>EX_CONFIG: the configuration is invalid.</summary>
    public const int Config = 78;
}
