fn main() {
    linli::start()
}
