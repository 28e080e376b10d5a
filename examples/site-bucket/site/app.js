// config.json is written by the deploy from the stack's outputs.
fetch("config.json")
  .then((r) => r.json())
  .then((c) => { document.getElementById("bucket").textContent = c.bucketName; });
