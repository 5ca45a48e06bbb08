// Rampart.Imap: the Imap server on the shared store, connection layer and SASL framework.
[assembly: System.CLSCompliant(false)]
