using SampleService;

await SampleServiceApp.RunAsync(args, AppContext.BaseDirectory);
