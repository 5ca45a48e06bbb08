using System.Buffers.Binary;
using System.Net;

namespace Rampart.Net.Proxy;

/// <summary>
/// Reads the binary PROXY protocol v2 header that a trusted load balancer puts in front of the client's bytes.
/// </summary>
/// <remarks>
/// PROXY protocol specification §2.2 (version 2). Only v2 is accepted: the text v1 form is ambiguous to read and
/// no proxy Rampart supports lacks v2. The caller reads it only from peers in <c>Access:ProxyTrusted</c>; from
/// anyone else the same bytes are protocol input (SECURITY.md I03).
/// </remarks>
public static class ProxyProtocolV2
{
    /// <summary>The 12-byte signature that starts every v2 header.</summary>
    public static ReadOnlySpan<byte> Signature => "\r\n\r\n\0\r\nQUIT\n"u8;

    /// <summary>Length of the fixed part: signature, version/command, family/protocol, address length.</summary>
    public const int FixedLength = 16;

    /// <summary>Largest address-plus-TLV block accepted. Default 1024: the addresses take at most 216 bytes (UNIX)
    /// and common TLVs (ALPN, SNI, unique id) fit easily; the 64 KiB the format allows is not worth holding.</summary>
    public const int MaxVariableLength = 1024;

    /// <summary>Reads exactly one header from <paramref name="stream"/>, never a byte more.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid v2 header.</exception>
    /// <exception cref="EndOfStreamException">The peer closed before the header ended.</exception>
    public static async Task<ProxyHeader> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var fixedPart = new byte[FixedLength];
        await stream.ReadExactlyAsync(fixedPart, cancellationToken);
        var variableLength = ParseFixedPart(fixedPart);
        var variable = new byte[variableLength];
        await stream.ReadExactlyAsync(variable, cancellationToken);
        return ParseAddresses(fixedPart[12], fixedPart[13], variable);
    }

    /// <summary>Parses a whole header held in memory (fixed part followed by the variable part).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid v2 header.</exception>
    public static ProxyHeader Parse(ReadOnlySpan<byte> header, out int consumed)
    {
        if (header.Length < FixedLength)
        {
            throw new InvalidDataException("PROXY v2 header is shorter than 16 bytes.");
        }

        var variableLength = ParseFixedPart(header[..FixedLength]);
        if (header.Length < FixedLength + variableLength)
        {
            throw new InvalidDataException("PROXY v2 header is truncated.");
        }

        consumed = FixedLength + variableLength;
        return ParseAddresses(header[12], header[13], header.Slice(FixedLength, variableLength));
    }

    private static int ParseFixedPart(ReadOnlySpan<byte> fixedPart)
    {
        if (!fixedPart[..12].SequenceEqual(Signature))
        {
            throw new InvalidDataException("PROXY v2 signature missing: a trusted proxy must send a v2 header first.");
        }

        var versionCommand = fixedPart[12];
        if (versionCommand >> 4 != 2)
        {
            throw new InvalidDataException($"PROXY header version {versionCommand >> 4} is not 2.");
        }

        if ((versionCommand & 0x0F) > 1)
        {
            throw new InvalidDataException($"PROXY v2 command {versionCommand & 0x0F} is neither LOCAL nor PROXY.");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(fixedPart[14..16]);
        if (length > MaxVariableLength)
        {
            throw new InvalidDataException($"PROXY v2 header announces {length} bytes, above the {MaxVariableLength}-byte limit.");
        }

        return length;
    }

    private static ProxyHeader ParseAddresses(byte versionCommand, byte familyProtocol, ReadOnlySpan<byte> variable)
    {
        var isLocal = (versionCommand & 0x0F) == 0;
        var family = familyProtocol >> 4;
        var transport = familyProtocol & 0x0F;
        if (isLocal)
        {
            // §2.2: for LOCAL the receiver must ignore the address block and use the real connection endpoints.
            return new ProxyHeader(true, null, null);
        }

        if (transport != 1)
        {
            throw new InvalidDataException("PROXY v2 header does not describe a TCP (STREAM) connection.");
        }

        switch (family)
        {
            case 1: // AF_INET: 4 + 4 + 2 + 2
                if (variable.Length < 12)
                {
                    throw new InvalidDataException("PROXY v2 IPv4 address block is shorter than 12 bytes.");
                }

                return new ProxyHeader(
                    false,
                    new IPEndPoint(new IPAddress(variable[..4]), BinaryPrimitives.ReadUInt16BigEndian(variable[8..10])),
                    new IPEndPoint(new IPAddress(variable[4..8]), BinaryPrimitives.ReadUInt16BigEndian(variable[10..12])));
            case 2: // AF_INET6: 16 + 16 + 2 + 2
                if (variable.Length < 36)
                {
                    throw new InvalidDataException("PROXY v2 IPv6 address block is shorter than 36 bytes.");
                }

                return new ProxyHeader(
                    false,
                    new IPEndPoint(new IPAddress(variable[..16]), BinaryPrimitives.ReadUInt16BigEndian(variable[32..34])),
                    new IPEndPoint(new IPAddress(variable[16..32]), BinaryPrimitives.ReadUInt16BigEndian(variable[34..36])));
            default:
                throw new InvalidDataException($"PROXY v2 address family {family} is not IPv4 or IPv6.");
        }
    }
}
