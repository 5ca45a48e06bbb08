// Rampart.Store: the domain, IMailStore, its change feed and MIME metadata extraction.
[assembly: System.CLSCompliant(false)]
