using Rampart.Server.Cli;

return await new RampartCli().RunAsync(args);
