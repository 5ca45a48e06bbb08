using Rampart.Store.Mime;

namespace Rampart.Store.Model;

/// <summary>The parts of a message's stored metadata that FETCH renders: ENVELOPE, BODY/BODYSTRUCTURE with the part
/// offsets BODY[section] and BINARY[section] read from, and PREVIEW (RFC 9051 §7.5.2, RFC 8970). The search texts
/// are left out, so a FETCH over many messages reads and decodes only what it sends.</summary>
/// <param name="Uid">The message's UID.</param>
/// <param name="Envelope">The top-level ENVELOPE.</param>
/// <param name="Body">The top-level body part, with octet offsets into the raw message.</param>
/// <param name="Preview">RFC 8970 preview text.</param>
public sealed record MessageStructure(uint Uid, Envelope Envelope, BodyPart Body, string Preview);
