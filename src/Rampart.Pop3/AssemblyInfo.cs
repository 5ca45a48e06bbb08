// Rampart.Pop3: the Pop3 server on the shared store, connection layer and SASL framework.
[assembly: System.CLSCompliant(false)]
