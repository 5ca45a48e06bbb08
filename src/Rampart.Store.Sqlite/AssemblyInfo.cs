// Rampart.Store.Sqlite: the embedded default backend (SQLite + content-addressed blob files).
[assembly: System.CLSCompliant(false)]
