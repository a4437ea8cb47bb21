// The consumer's tests ran, ajc wove shop.woven and left the application's Spring @Aspect alone.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0')
assert new File(basedir, 'target/classes/shop/woven/Ledger.class').text.contains('ajc$')
assert !new File(basedir, 'target/classes/shop/CallCounter.class').text.contains('ajc$')
return true
