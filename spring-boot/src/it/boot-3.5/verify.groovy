// The consumer's tests ran on Spring Boot 3.5.7 (not just compiled), and none failed.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 10, Failures: 0, Errors: 0, Skipped: 0')
assert log.contains('BUILD SUCCESS')
return true
