namespace Rampart.Imap.Rendering;

/// <summary>One message of a THREAD response tree (RFC 5256 §4), or a dummy that only groups its children (a
/// thread whose first message is not in the mailbox).</summary>
public sealed class ThreadNode
{
    /// <summary>A node for a message.</summary>
    public ThreadNode(uint uid, uint sequenceNumber)
    {
        Uid = uid;
        SequenceNumber = sequenceNumber;
    }

    private ThreadNode()
    {
        IsDummy = true;
    }

    /// <summary>The message's UID; 0 for a dummy.</summary>
    public uint Uid { get; }

    /// <summary>The message's sequence number; 0 for a dummy.</summary>
    public uint SequenceNumber { get; }

    /// <summary>Whether this node stands for no message: it only groups its children.</summary>
    public bool IsDummy { get; }

    /// <summary>Replies to this message, in thread order.</summary>
    public IList<ThreadNode> Children { get; } = [];

    /// <summary>A node that stands for no message.</summary>
    public static ThreadNode CreateDummy() => new();
}
