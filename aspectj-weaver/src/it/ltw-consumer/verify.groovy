// javac produced unwoven classes, and the program, run with the agent, saw duplicates replayed.
def log = new File(basedir, 'build.log').text
assert log.contains('LTW consumer OK: 3 calls with 2 keys ran the body 2 times; static replayed')
// ...on the JDK that runs this build (the agent works on each JDK the build is run with).
assert log.contains('static replayed; Java ' + System.getProperty('java.version'))
assert !new File(basedir, 'target/classes/shop/Payments.class').text.contains('ajc$')
return true
