// The consumer's tests ran (not just compiled) and its classes were woven by ajc.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 5, Failures: 0, Errors: 0, Skipped: 0')
assert new File(basedir, 'target/classes/shop/Payments.class').text.contains('ajc$')
return true
